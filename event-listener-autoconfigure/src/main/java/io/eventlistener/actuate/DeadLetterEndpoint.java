package io.eventlistener.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.eventlistener.replay.DeadLetterReplayer;
import io.eventlistener.replay.DeadLetterReplayer.Target;
import io.eventlistener.replay.ReplayFilter;
import io.eventlistener.replay.ReplayResult;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code eventlistenerdeadletters} actuator endpoint: {@code GET} counts the dead
 * letters waiting, {@code POST} replays them ({@link DeadLetterReplayer}), optionally
 * only those of an {@code observerType} or one {@code observer} ({@code Type#id}), dead
 * -lettered more than {@code olderThan} or less than {@code newerThan} ago (durations
 * such as {@code 10m}), to their observer queue or, with
 * {@code target=ORIGINAL_EXCHANGE}, to their original exchange, and answers
 * {@code moved}, {@code skipped}, {@code failed}.
 * <p>
 * Off by default ({@code defaultAccess} none): it moves messages, so it is there only
 * once {@code management.endpoint.eventlistenerdeadletters.access} is set on purpose
 * ({@code read-only} to count, {@code unrestricted} to replay).
 */
@Endpoint(id = "eventlistenerdeadletters", defaultAccess = Access.NONE)
public class DeadLetterEndpoint {

	private final DeadLetterReplayer replayer;

	private final Clock clock;

	/**
	 * Create a new {@code DeadLetterEndpoint}.
	 * @param replayer replays the dead letters
	 * @param clock the time {@code olderThan} and {@code newerThan} count from
	 */
	public DeadLetterEndpoint(DeadLetterReplayer replayer, Clock clock) {
		this.replayer = replayer;
		this.clock = clock;
	}

	/**
	 * Return the number of dead letters waiting.
	 * @return the number of dead letters waiting
	 */
	@ReadOperation
	public Map<String, Object> deadLetters() {
		return Map.of("waiting", this.replayer.count());
	}

	/**
	 * Replay the dead letters that match.
	 * @param observerType only this observer type's
	 * @param observer only this observer's ({@code Type#id})
	 * @param olderThan only those dead-lettered longer ago than this
	 * @param newerThan only those dead-lettered more recently than this
	 * @param target {@code OBSERVER_QUEUE} (the default) or {@code ORIGINAL_EXCHANGE}
	 * @return what was moved, skipped, failed, and why it stopped early if it did
	 */
	@WriteOperation
	public ReplayResult replay(@Nullable String observerType, @Nullable String observer, @Nullable Duration olderThan,
			@Nullable Duration newerThan, @Nullable Target target) {
		ReplayFilter filter = new ReplayFilter(observerType, observer,
				(olderThan != null) ? this.clock.instant().minus(olderThan) : null,
				(newerThan != null) ? this.clock.instant().minus(newerThan) : null);
		return this.replayer.replay(filter, (target != null) ? target : Target.OBSERVER_QUEUE);
	}

}
