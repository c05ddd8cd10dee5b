package io.eventlistener.partition;

import java.time.Duration;

/**
 * How the members of a partitioned group keep in touch.
 *
 * @param heartbeatInterval how often a member heartbeats and rebalances
 * @param memberTimeout how long a member may go without a heartbeat before it is removed;
 * at least three intervals, so one slow round is not a departure
 * @param maxMoves at most this many buckets move between running members per round
 */
public record PartitionSettings(Duration heartbeatInterval, Duration memberTimeout, int maxMoves) {

	/**
	 * 5 s heartbeats, 30 s timeout, 128 moves a round (a joiner's share in a few rounds).
	 */
	public static final PartitionSettings DEFAULT = new PartitionSettings(Duration.ofSeconds(5), Duration.ofSeconds(30),
			128);

	public PartitionSettings {
		if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
			throw new IllegalArgumentException(
					"event-listener.partition.heartbeat-interval must be positive, was " + heartbeatInterval);
		}
		if (memberTimeout.compareTo(heartbeatInterval.multipliedBy(3)) < 0) {
			throw new IllegalArgumentException("event-listener.partition.member-timeout (" + memberTimeout
					+ ") must be at least three heartbeat intervals (" + heartbeatInterval.multipliedBy(3)
					+ "), or one slow round removes a running instance");
		}
		if (maxMoves < 1) {
			throw new IllegalArgumentException(
					"event-listener.partition.max-moves must be at least 1, was " + maxMoves);
		}
	}

}
