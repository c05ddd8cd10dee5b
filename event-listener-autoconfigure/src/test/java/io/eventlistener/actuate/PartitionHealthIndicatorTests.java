package io.eventlistener.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.eventlistener.partition.PartitionCoordinator.Membership;
import io.eventlistener.partition.PartitionCoordinator.PartitionStatus;
import io.eventlistener.partition.PartitionedConsumers.ObserverCounts;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition's health follows this instance's membership and shows its share.
 */
class PartitionHealthIndicatorTests {

	private static final Instant CONTACT = Instant.parse("2026-12-07T12:00:00Z");

	@Test
	void aMemberIsUpAndShowsItsShare() {
		Health health = health(Membership.MEMBER);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("membership", Membership.MEMBER)
			.containsEntry("members", List.of("one", "three", "two"))
			.containsEntry("buckets", 341)
			.containsEntry("observers", new ObserverCounts(1000, 3000))
			.containsEntry("memberTimeout", "PT30S")
			.containsEntry("lastContact", "2026-12-07T12:00:00Z");
	}

	@Test
	void aPresumedLostMembershipIsOutOfServiceAndStillShowsWhatItConsumes() {
		Health health = health(Membership.PRESUMED_LOST);
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("membership", Membership.PRESUMED_LOST)
			.containsEntry("buckets", 341)
			.containsEntry("observers", new ObserverCounts(1000, 3000));
	}

	@Test
	void beforeTheFirstRoundItIsUnknown() {
		PartitionStatus joining = new PartitionStatus("app", "one", Membership.JOINING, List.of(), 0,
				new ObserverCounts(0, 3000), 0, null, null);
		Health health = new PartitionHealthIndicator(() -> joining, Duration.ofSeconds(30)).health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).doesNotContainKey("lastContact");
	}

	private static Health health(Membership membership) {
		PartitionStatus status = new PartitionStatus("app", "one", membership, List.of("one", "three", "two"), 341,
				new ObserverCounts(1000, 3000), 4, CONTACT, CONTACT);
		return new PartitionHealthIndicator(() -> status, Duration.ofSeconds(30)).health();
	}

}
