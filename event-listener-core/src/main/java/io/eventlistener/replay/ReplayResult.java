package io.eventlistener.replay;

import org.jspecify.annotations.Nullable;

/**
 * What a replay did.
 *
 * @param moved republished, confirmed by the broker, and removed from the dead-letter
 * queue
 * @param skipped not matched by the filter, left in the dead-letter queue
 * @param failed matched but not moved (no target, refused, unroutable), left in the
 * dead-letter queue
 * @param interruption why the replay stopped before the end, or {@code null} when it went
 * through; what it had not acknowledged yet stays in the dead-letter queue (a message
 * moved but not yet removed is then in both: replayed again, it is a duplicate)
 */
public record ReplayResult(int moved, int skipped, int failed, @Nullable String interruption) {

}
