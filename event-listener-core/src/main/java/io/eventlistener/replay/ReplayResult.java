package io.eventlistener.replay;

import org.jspecify.annotations.Nullable;

/**
 * What a replay did.
 *
 * @param moved republished, confirmed by the broker, and removed from the dead-letter
 * queue
 * @param skipped not matched by the filter, left in the dead-letter queue
 * @param failed matched but not moved (refused by the broker, unroutable), left in the
 * dead-letter queue
 * @param refused matched but not moved because their headers named no target of this
 * application (a queue that is not a registered observer's, an exchange that is not the
 * events exchange) or none at all; left in the dead-letter queue
 * @param interruption why the replay stopped before the end, or {@code null} when it went
 * through; what it had not acknowledged yet stays in the dead-letter queue (a message
 * moved but not yet removed is then in both: replayed again, it is a duplicate)
 */
public record ReplayResult(int moved, int skipped, int failed, int refused, @Nullable String interruption) {

	/**
	 * A result without refusals.
	 * @param moved republished and removed
	 * @param skipped not matched by the filter
	 * @param failed matched but not moved
	 * @param interruption why the replay stopped early, or {@code null}
	 */
	public ReplayResult(int moved, int skipped, int failed, @Nullable String interruption) {
		this(moved, skipped, failed, 0, interruption);
	}

}
