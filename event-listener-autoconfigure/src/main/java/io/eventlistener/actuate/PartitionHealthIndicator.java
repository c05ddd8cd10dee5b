package io.eventlistener.actuate;

import java.time.Duration;
import java.util.function.Supplier;

import io.eventlistener.partition.PartitionCoordinator.PartitionStatus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of this instance's membership in its partitioned group, named
 * {@code eventListenerPartition}: {@code UP} while it is a member, {@code OUT_OF_SERVICE}
 * once its last round that reached the database is older than the member timeout (the
 * others have removed it and consume its buckets; it still consumes them too and joins
 * again by itself when the database answers), {@code UNKNOWN} before its first round.
 * Details: the membership, the members, this instance's buckets and observers, the
 * assignment's generation, the last rebalance and contact. Answers from memory, never
 * from the database, so a frozen network cannot hold it up.
 */
public class PartitionHealthIndicator implements HealthIndicator {

	private final Supplier<PartitionStatus> status;

	private final Duration memberTimeout;

	/**
	 * Create a new {@code PartitionHealthIndicator}.
	 * @param status the coordinator's status
	 * @param memberTimeout how long a member may miss heartbeats before the others remove
	 * it
	 */
	public PartitionHealthIndicator(Supplier<PartitionStatus> status, Duration memberTimeout) {
		this.status = status;
		this.memberTimeout = memberTimeout;
	}

	@Override
	public Health health() {
		PartitionStatus status = this.status.get();
		Health.Builder builder = switch (status.membership()) {
			case JOINING -> Health.unknown();
			case MEMBER -> Health.up();
			case PRESUMED_LOST -> Health.outOfService();
		};
		builder.withDetail("membership", status.membership())
			.withDetail("member", status.member())
			.withDetail("members", status.members())
			.withDetail("buckets", status.buckets())
			.withDetail("observers", status.observers())
			.withDetail("generation", status.generation())
			.withDetail("memberTimeout", this.memberTimeout.toString());
		if (status.lastRebalance() != null) {
			builder.withDetail("lastRebalance", status.lastRebalance().toString());
		}
		if (status.lastContact() != null) {
			builder.withDetail("lastContact", status.lastContact().toString());
		}
		return builder.build();
	}

}
