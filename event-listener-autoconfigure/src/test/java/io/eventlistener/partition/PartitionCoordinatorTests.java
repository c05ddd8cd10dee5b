package io.eventlistener.partition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventObserver;
import io.eventlistener.autoconfigure.EventListenerPartitionProperties;
import io.eventlistener.autoconfigure.StarterSchemaInitializer;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.TestObserverTypes;
import io.eventlistener.partition.PartitionCoordinator.Membership;
import io.eventlistener.partition.PartitionListener.RoundOutcome;
import io.eventlistener.registry.MonitoredConsumers;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.testsupport.LocalDatabase;
import io.eventlistener.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coordinators of several instances on one (embedded H2) database, rounds run by hand
 * with a clock moved by hand: the consumer engines are recorders, so what is asserted is
 * which queues each instance asks to consume. The broker's side (one consumer per queue
 * on RabbitMQ, hand-over under load) is for the integration test.
 */
class PartitionCoordinatorTests {

	private static final ObserverType<Hook> POOLED = TestObserverTypes.longId("Hook", Hook.class);

	private static final ObserverType<Hook> BROADCAST = TestObserverTypes.longId("Cache", Hook.class,
			DeliveryMode.BROADCAST);

	private static final int OBSERVERS = 3000;

	private static final PartitionSettings SETTINGS = new PartitionSettings(Duration.ofSeconds(5),
			Duration.ofSeconds(30), 128);

	private final LocalDatabase.Scratch database = LocalDatabase.H2.scratch();

	private final MembershipRepository repository = new MembershipRepository(
			new JdbcTemplate(this.database.dataSource()));

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final Map<String, ObserverRegistration> registry = new HashMap<>();

	private final Map<String, Instance> instances = new LinkedHashMap<>();

	PartitionCoordinatorTests() {
		new StarterSchemaInitializer(this.database.dataSource(), new EventListenerPartitionProperties()).initialize();
		for (int id = 1; id <= OBSERVERS; id++) {
			register(POOLED, id);
		}
		register(BROADCAST, 1);
	}

	@AfterEach
	void dropDatabase() {
		this.database.close();
	}

	@Test
	void everyPooledQueueEndsWithExactlyOneConsumerAndAFairShare() {
		start("a", "b", "c");

		settle();

		assertOneConsumerEach();
		assertFairShares();
		assertThat(this.instances.values())
			.allSatisfy((instance) -> assertThat(instance.engine.consumed).contains("app.cache.1.x"));
	}

	@Test
	void aJoiningInstanceTakesItsShareOverSeveralRoundsWithNoQueueLeftUnconsumed() {
		start("a", "b", "c");
		settle();

		start("d");
		int rounds = 0;
		while (!allSettled()) {
			this.clock.advance(SETTINGS.heartbeatInterval());
			for (Instance instance : this.instances.values()) {
				instance.coordinator.round();
				// after every instance's round, not only after all of them
				assertThat(unconsumed()).isEmpty();
			}
			rounds++;
		}

		// 256 buckets at most 128 a round, each released one round after it moved
		assertThat(rounds).isBetween(2, 6);
		assertOneConsumerEach();
		assertFairShares();
	}

	@Test
	void aGracefulStopHandsItsBucketsOutAtTheOthersNextRound() {
		start("a", "b", "c");
		settle();

		this.instances.remove("c").coordinator.stop();
		roundAll();

		assertThat(unconsumed()).isEmpty();
		settle();
		assertOneConsumerEach();
		assertFairShares();
	}

	@Test
	void anInstanceThatStopsHeartbeatingLosesItsBucketsAfterTheTimeoutAndStopsThemWhenItComesBack() {
		start("a", "b", "c");
		settle();
		Instance frozen = this.instances.remove("c");
		Set<String> before = Set.copyOf(frozen.engine.consumed);

		assertThat(frozen.coordinator.status().membership()).isEqualTo(Membership.MEMBER);
		for (int i = 0; i < 7; i++) {
			roundAll();
		}
		// a and b alone consume everything; c, frozen, still holds its queues, and knows
		// it is no longer counted
		assertThat(unconsumed()).isEmpty();
		assertThat(frozen.engine.consumed).isEqualTo(before);
		assertThat(frozen.coordinator.status().membership()).isEqualTo(Membership.PRESUMED_LOST);
		assertThat(frozen.coordinator.status().buckets()).isEqualTo(frozen.consumers.owned().cardinality());
		assertThat(frozen.coordinator.status().observers().consumed()).isEqualTo(before.size() - 1);

		// back: its first round rejoins and keeps what it had; the next stops the buckets
		// that moved, so it consumes only those the stored assignment gives it
		frozen.coordinator.round();
		assertThat(frozen.coordinator.status().membership()).isEqualTo(Membership.MEMBER);
		assertThat(frozen.engine.consumed).containsAll(before);
		this.instances.put("c", frozen);
		roundAll();
		assertThat(frozen.consumers.owned())
			.isEqualTo(this.repository.assignment("app").orElseThrow().assignment().bucketsOf("c"));
		assertThat(frozen.engine.consumed).doesNotContainAnyElementsOf(before.stream()
			.filter((queue) -> !queue.endsWith(".x")
					&& !frozen.consumers.owned().get(Buckets.of(this.registry.get(queue).key())))
			.toList());
		settle();
		assertOneConsumerEach();
		assertFairShares();
	}

	@Test
	void aHeartbeatTheDatabaseStoredLateIsStoredAgainWithTheTimeItWasAnswered() {
		start("a");
		MembershipRepository late = new MembershipRepository(new JdbcTemplate(this.database.dataSource())) {

			private boolean frozen = true;

			@Override
			public boolean heartbeat(String group, String member, Instant now) {
				boolean joined = super.heartbeat(group, member, now);
				if (this.frozen) {
					// the network froze with the statement sent: answered after the
					// timeout, with the time the round began
					this.frozen = false;
					PartitionCoordinatorTests.this.clock.advance(SETTINGS.memberTimeout());
				}
				return joined;
			}

		};
		PartitionCoordinator coordinator = new PartitionCoordinator(late, "app", "b", SETTINGS,
				new PartitionedConsumers(new RecordingEngine(),
						(queue) -> Optional.ofNullable(this.registry.get(queue))),
				this.clock, () -> {
				}, new ConcurrentTaskScheduler());

		coordinator.round();

		assertThat(this.repository.members("app")).filteredOn((member) -> member.id().equals("b"))
			.singleElement()
			.extracting(MembershipRepository.Member::heartbeat)
			.isEqualTo(this.clock.instant());
		assertThat(coordinator.status().lastContact()).isEqualTo(this.clock.instant());
	}

	/**
	 * Stopping a queue waits for its in-flight handler; a round that waited for its
	 * hand-over behind a burst of deliveries heartbeated too late, and the others removed
	 * the instance (every member, once, when a fourth joined under load); and a start
	 * queued behind such stops left the bucket it moved unconsumed as long.
	 */
	@Test
	void aRoundStartsItsNewBucketsAndLeavesItsStopsToATaskOfTheirOwn() {
		start("a");
		Instance a = this.instances.get("a");
		List<Runnable> held = new ArrayList<>();
		a.coordinator.setHandoverExecutor(held::add);
		start("b");
		Instance b = this.instances.get("b");
		List<Runnable> heldByB = new ArrayList<>();
		b.coordinator.setHandoverExecutor(heldByB::add);

		// 128 buckets move to b a round; a keeps each for one more round
		roundAll();
		roundAll();
		roundAll();

		// a's last two rounds gave buckets away and returned at once, heartbeat stored;
		// b started the queues it was given in its rounds; a task per round stops a's
		assertThat(held).hasSize(2);
		assertThat(this.repository.members("app")).filteredOn((member) -> member.id().equals("a"))
			.singleElement()
			.extracting(MembershipRepository.Member::heartbeat)
			.isEqualTo(this.clock.instant());
		assertThat(heldByB).isEmpty();
		assertThat(b.engine.consumed).filteredOn((queue) -> !queue.endsWith(".x"))
			.hasSize(b.consumers.observerCounts().consumed())
			.isNotEmpty();
		assertThat(a.engine.consumed).filteredOn((queue) -> !queue.endsWith(".x")).hasSize(OBSERVERS);
		held.forEach(Runnable::run);
		held.clear();
		assertThat(a.consumers.owned().cardinality()).isEqualTo(Buckets.COUNT - 2 * SETTINGS.maxMoves());
		assertThat(a.engine.consumed).filteredOn((queue) -> !queue.endsWith(".x"))
			.hasSize(a.consumers.observerCounts().consumed())
			.hasSizeLessThan(OBSERVERS);
		assertThat(this.repository.assignment("app").orElseThrow().assignment().bucketsOf("a").cardinality())
			.isEqualTo(Buckets.COUNT - 3 * SETTINGS.maxMoves());
		a.coordinator.setHandoverExecutor(Runnable::run);
		settle();
		assertOneConsumerEach();
		assertFairShares();
	}

	@Test
	void anUnreachableDatabaseKeepsTheBucketsConsumed() {
		start("a", "b");
		settle();
		Instance a = this.instances.get("a");
		Set<String> before = Set.copyOf(a.engine.consumed);
		List<RoundOutcome> outcomes = new ArrayList<>();
		a.coordinator.setListeners(List.of(new PartitionListener() {
			@Override
			public void round(RoundOutcome outcome) {
				outcomes.add(outcome);
			}
		}));

		this.database.close();
		a.coordinator.round();

		assertThat(outcomes).containsExactly(RoundOutcome.FAILED);
		assertThat(a.engine.consumed).isEqualTo(before);
	}

	private void register(ObserverType<Hook> type, long id) {
		String queue = "app." + type.name().toLowerCase() + "." + id
				+ ((type.delivery() == DeliveryMode.BROADCAST) ? ".x" : "");
		this.registry.put(queue, new ObserverRegistration(new ObserverKey(type.name(), String.valueOf(id)), type,
				new Hook(), queue, "events", Set.of("a")));
	}

	private void start(String... members) {
		for (String member : members) {
			RecordingEngine engine = new RecordingEngine();
			PartitionedConsumers consumers = new PartitionedConsumers(engine,
					(queue) -> Optional.ofNullable(this.registry.get(queue)));
			// as the registry does at start-up: every observer, whatever the buckets
			consumers.consumeAll(this.registry.keySet());
			PartitionCoordinator coordinator = new PartitionCoordinator(this.repository, "app", member, SETTINGS,
					consumers, this.clock, () -> {
					}, new ConcurrentTaskScheduler());
			coordinator.round();
			this.instances.put(member, new Instance(coordinator, consumers, engine));
		}
	}

	private void roundAll() {
		this.clock.advance(SETTINGS.heartbeatInterval());
		this.instances.values().forEach((instance) -> instance.coordinator.round());
	}

	private void settle() {
		for (int i = 0; i < 30 && !allSettled(); i++) {
			roundAll();
		}
		roundAll();
		assertThat(allSettled()).isTrue();
	}

	private boolean allSettled() {
		Map<String, Integer> counts = consumerCounts();
		return counts.size() == OBSERVERS && counts.values().stream().allMatch((count) -> count == 1)
				&& this.instances.values()
					.stream()
					.allMatch((instance) -> instance.coordinator.status().members().size() == this.instances.size());
	}

	private Map<String, Integer> consumerCounts() {
		Map<String, Integer> counts = new HashMap<>();
		this.instances.values()
			.forEach((instance) -> instance.engine.consumed.stream()
				.filter((queue) -> !queue.endsWith(".x"))
				.forEach((queue) -> counts.merge(queue, 1, Integer::sum)));
		return counts;
	}

	private List<String> unconsumed() {
		Map<String, Integer> counts = consumerCounts();
		return this.registry.keySet()
			.stream()
			.filter((queue) -> !queue.endsWith(".x") && !counts.containsKey(queue))
			.toList();
	}

	private void assertOneConsumerEach() {
		assertThat(consumerCounts()).hasSize(OBSERVERS).allSatisfy((queue, count) -> assertThat(count).isOne());
	}

	private void assertFairShares() {
		int share = OBSERVERS / this.instances.size();
		assertThat(this.instances.values()).allSatisfy((instance) -> {
			assertThat(instance.consumers.observerCounts().consumed()).isBetween(share * 9 / 10, share * 11 / 10);
			assertThat(instance.coordinator.status().observers().consumed())
				.isEqualTo(instance.consumers.observerCounts().consumed());
		});
	}

	record Instance(PartitionCoordinator coordinator, PartitionedConsumers consumers, RecordingEngine engine) {
	}

	/** Records which queues it was asked to consume. */
	static class RecordingEngine implements MonitoredConsumers {

		final Set<String> consumed = ConcurrentHashMap.newKeySet();

		@Override
		public void consume(String queue) {
			this.consumed.add(queue);
		}

		@Override
		public void consumeAll(Collection<String> queues) {
			this.consumed.addAll(queues);
		}

		@Override
		public void cancel(String queue) {
			this.consumed.remove(queue);
		}

		@Override
		public Map<String, Duration> unconsumed() {
			return Map.of();
		}

		@Override
		public void setLostQueueHandler(Consumer<String> handler) {
		}

	}

	static class Hook implements EventObserver {

		@Override
		public Collection<String> getRoutingKeys() {
			return List.of();
		}

	}

}
