package io.eventlistener.partition;

import java.time.Duration;

/**
 * Hears what the {@link PartitionCoordinator} does, for metrics; every method does
 * nothing by default.
 */
public interface PartitionListener {

	/**
	 * A round ended.
	 * @param outcome what it came to
	 */
	default void round(RoundOutcome outcome) {
	}

	/**
	 * This instance started and stopped consuming queues because its buckets changed.
	 * @param duration how long starting and stopping took
	 * @param failed whether the consumer engine refused
	 */
	default void handover(Duration duration, boolean failed) {
	}

	/** What a round came to. */
	enum RoundOutcome {

		/** The assignment stayed as it was. */
		UNCHANGED,

		/** This instance stored a new assignment. */
		REBALANCED,

		/** Another instance stored one first; this one follows it. */
		LOST_RACE,

		/** The database did not answer: the current buckets are kept. */
		FAILED

	}

}
