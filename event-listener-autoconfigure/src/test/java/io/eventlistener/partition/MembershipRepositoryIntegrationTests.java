package io.eventlistener.partition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.eventlistener.autoconfigure.EventListenerPartitionProperties;
import io.eventlistener.autoconfigure.StarterSchemaInitializer;
import io.eventlistener.partition.MembershipRepository.Member;
import io.eventlistener.partition.MembershipRepository.StoredAssignment;
import io.eventlistener.testsupport.LocalDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The membership and assignment tables on each database the starter supports, created by
 * the starter's scripts through Boot's initializer (twice, as every start does): members
 * join, heartbeat, leave and expire, groups stay apart, and only one of two rebalances
 * computed from the same generation is stored.
 */
class MembershipRepositoryIntegrationTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@ParameterizedTest
	@EnumSource(LocalDatabase.class)
	void membersJoinHeartbeatLeaveAndExpire(LocalDatabase database) {
		try (LocalDatabase.Scratch scratch = database.scratch()) {
			MembershipRepository repository = repository(scratch);

			assertThat(repository.heartbeat("app", "a", T0)).isTrue();
			assertThat(repository.heartbeat("app", "b", T0)).isTrue();
			assertThat(repository.heartbeat("other", "a", T0)).isTrue();
			assertThat(repository.heartbeat("app", "a", T0.plusSeconds(20))).isFalse();
			assertThat(repository.members("app")).extracting(Member::id).containsExactly("a", "b");
			assertThat(repository.members("app").get(0)).isEqualTo(new Member("a", T0, T0.plusSeconds(20)));

			// b's last heartbeat is 35 s old: past the timeout
			assertThat(repository.expire("app", T0.plusSeconds(35).minus(TIMEOUT))).isEqualTo(1);
			assertThat(repository.members("app")).extracting(Member::id).containsExactly("a");
			assertThat(repository.members("other")).extracting(Member::id).containsExactly("a");

			// an expired member that heartbeats again joins again
			assertThat(repository.heartbeat("app", "b", T0.plusSeconds(36))).isTrue();
			repository.leave("app", "a");
			assertThat(repository.members("app")).extracting(Member::id).containsExactly("b");
		}
	}

	@ParameterizedTest
	@EnumSource(LocalDatabase.class)
	void onlyOneOfTwoRebalancesFromTheSameGenerationIsStored(LocalDatabase database) {
		try (LocalDatabase.Scratch scratch = database.scratch()) {
			MembershipRepository repository = repository(scratch);
			BucketAssignment two = BucketAssignment.empty().rebalance(List.of("a", "b"), 1).assignment();
			BucketAssignment three = two.rebalance(List.of("a", "b", "c"), 1000).assignment();

			assertThat(repository.assignment("app")).isEmpty();
			assertThat(repository.replace("app", 0, two, T0)).contains(new StoredAssignment(1, two, T0));
			assertThat(repository.replace("app", 0, three, T0)).isEmpty();
			assertThat(repository.replace("app", 1, three, T0.plusSeconds(5))).isPresent();
			assertThat(repository.replace("app", 1, two, T0.plusSeconds(5))).isEmpty();

			assertThat(repository.assignment("app")).contains(new StoredAssignment(2, three, T0.plusSeconds(5)));
			assertThat(repository.assignment("other")).isEmpty();
		}
	}

	private static MembershipRepository repository(LocalDatabase.Scratch scratch) {
		EventListenerPartitionProperties properties = new EventListenerPartitionProperties();
		assertThat(new StarterSchemaInitializer(scratch.dataSource(), properties).initialize()).isTrue();
		new StarterSchemaInitializer(scratch.dataSource(), properties).initialize();
		return new MembershipRepository(new JdbcTemplate(scratch.dataSource()));
	}

}
