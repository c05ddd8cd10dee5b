package io.eventlistener.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.eventlistener.DeliveryMode;
import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.partition.PartitionCoordinator;
import io.eventlistener.partition.PartitionCoordinator.PartitionStatus;
import io.eventlistener.partition.PartitionedConsumers;
import io.eventlistener.testsupport.NumberedStream;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partitioned consumption on RabbitMQ and PostgreSQL, for pooled and for ordered
 * observers: three application contexts share 3,000 observers while a numbered stream of
 * confirmed events goes to 300 of them (spread over every instance), and a third instance
 * joins and then the first leaves gracefully. After each change, once the assignment
 * settles, the broker reports exactly one consumer on every observer queue, each instance
 * consumes within ±10 % of its fair share, and at the end every event reached every
 * listening observer: lost = 0, duplicates counted and bounded.
 */
class PartitionedConsumptionIntegrationTests {

	/**
	 * Enough that a fair share of buckets is a fair share of observers: at 3,000 over
	 * three instances, ±10 % of 1,000 is nearly four standard deviations of the hash's
	 * spread.
	 */
	private static final int OBSERVERS = 3000;

	private static final int LISTENING = OBSERVERS / 10;

	private static final int EVENTS = 21;

	private static final Duration HOLD = Duration.ofSeconds(7);

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private final Map<String, ConfigurableApplicationContext> instances = new LinkedHashMap<>();

	private final List<RecordingHandler> handlers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	private DeliveryMode delivery = DeliveryMode.POOL;

	@ParameterizedTest
	@EnumSource(value = DeliveryMode.class, names = { "POOL", "ORDERED" })
	void instancesShareTheObserversAndHandOverWithoutLoss(DeliveryMode delivery) {
		this.delivery = delivery;
		// every tenth observer hears the stream: a persistent event routed to 3,000
		// durable queues takes the broker here longer to confirm than a publisher waits
		this.namespace.sql("insert into company (name, active, routing_keys) select 'c' || g, true, "
				+ "case when g % 10 = 0 then '" + NumberedStream.ROUTING_KEY + "' else 'quiet.' || g end "
				+ "from generate_series(1, " + OBSERVERS + ") g");
		try (NumberedStream stream = new NumberedStream(this.namespace.eventsExchange())) {
			start("one");
			start("two");
			settle("two instances", Map.of());
			publish(stream, 1, 7);

			Map<String, BitSet> before = owned();
			start("three");
			publish(stream, 8, 14);
			settle("a third joined", before);

			before = owned();
			this.instances.remove("one").close();
			publish(stream, 15, EVENTS);
			settle("the first left gracefully", before);

			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> distinct().size() == LISTENING * EVENTS);
			int handled = this.handlers.stream().mapToInt((handler) -> handler.deliveries().size()).sum();
			int duplicates = handled - distinct().size();
			System.out.println("partitioning | published " + EVENTS + " to " + LISTENING + " observers | handled "
					+ handled + " | lost 0 | duplicates " + duplicates);
			// a duplicate needs a delivery handled but not acknowledged when its consumer
			// was cancelled; cancelling waits for the handler and flushes its ack
			assertThat(duplicates).as("duplicates (allowed 0: a cancel acknowledges what was handled)").isZero();
			if (delivery == DeliveryMode.ORDERED) {
				assertOrderKeptAcrossHandOvers();
			}
			// health shows each instance's share
			assertThat(this.instances.values()).allSatisfy((context) -> assertThat(
					context.getBean(EventListenerHealthIndicator.class).health().getDetails().get("partition"))
				.isInstanceOfSatisfying(PartitionStatus.class, (status) -> {
					assertThat(status.members()).containsExactlyInAnyOrder("two", "three");
					assertThat(status.buckets()).isEqualTo(512);
				}));
		}
	}

	private void start(String id) {
		ConfigurableApplicationContext context = this.namespace.start(ObserverTestApplication.class,
				"event-listener.consumer.partitioning=dynamic", "event-listener.partition.heartbeat-interval=1s",
				"event-listener.partition.member-timeout=5s", "event-listener.delivery.instance-id=" + id,
				"event-listener.delivery.observers.Company=" + this.delivery.name().toLowerCase());
		this.instances.put(id, context);
		this.handlers.add(context.getBean(RecordingHandler.class));
	}

	private void publish(NumberedStream stream, int from, int to) {
		for (int seq = from; seq <= to; seq++) {
			stream.publish(seq);
		}
	}

	/**
	 * Wait until every observer queue has one consumer on the broker and every instance
	 * knows every other and holds its fair share, then print how long it took and how
	 * many buckets moved.
	 */
	private void settle(String step, Map<String, BitSet> before) {
		long start = System.nanoTime();
		String prefix = this.namespace.queuePrefix() + ".company.";
		// held for longer than the management API's statistics interval (5 s), so a
		// stale count of one consumer cannot pass for a settled queue
		await().during(HOLD).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			assertThat(this.instances.values())
				.allSatisfy((context) -> assertThat(context.getBean(PartitionCoordinator.class).status().members())
					.containsExactlyInAnyOrderElementsOf(this.instances.keySet()));
			int buckets = 1024 / this.instances.size();
			assertThat(this.instances.values())
				.allSatisfy((context) -> assertThat(context.getBean(PartitionCoordinator.class).status().buckets())
					.isBetween(buckets, buckets + 1));
			int share = OBSERVERS / this.instances.size();
			assertThat(this.instances.values()).allSatisfy((context) -> assertThat(
					((PartitionedConsumers) context.getBean(EventListenerAssembly.class).consumers()).observerCounts()
						.consumed())
				.isBetween(share * 9 / 10, share * 11 / 10));
			Map<String, Integer> consumers = this.namespace.broker().consumersByQueue(prefix);
			assertThat(consumers).hasSize(OBSERVERS);
			assertThat(consumers.values()).containsOnly(1);
		});
		Map<String, BitSet> after = owned();
		int moved = 0;
		for (Map.Entry<String, BitSet> entry : after.entrySet()) {
			BitSet gained = (BitSet) entry.getValue().clone();
			gained.andNot(before.getOrDefault(entry.getKey(), new BitSet()));
			moved += gained.cardinality();
		}
		System.out.println(
				"partitioning | " + step + " | settled in " + Duration.ofNanos(System.nanoTime() - start).toMillis()
						+ " ms | buckets moved " + moved + " | observers per instance " + counts());
	}

	private Map<String, BitSet> owned() {
		Map<String, BitSet> owned = new HashMap<>();
		this.instances.forEach((id, context) -> owned.put(id,
				((PartitionedConsumers) context.getBean(EventListenerAssembly.class).consumers()).owned()));
		return owned;
	}

	private Map<String, Integer> counts() {
		Map<String, Integer> counts = new LinkedHashMap<>();
		this.instances.forEach((id, context) -> counts.put(id,
				((PartitionedConsumers) context.getBean(EventListenerAssembly.class).consumers()).observerCounts()
					.consumed()));
		return counts;
	}

	/**
	 * Each instance handled an ordered observer's events in order, and the runs of
	 * different instances do not interleave: the new owner took over where the old one
	 * stopped (the queue's single active consumer).
	 */
	private void assertOrderKeptAcrossHandOvers() {
		Map<Long, List<List<Integer>>> runs = new HashMap<>();
		for (RecordingHandler handler : this.handlers) {
			Map<Long, List<Integer>> byObserver = new HashMap<>();
			handler.deliveries()
				.forEach((delivery) -> byObserver.computeIfAbsent(delivery.companyId(), (id) -> new ArrayList<>())
					.add((Integer) delivery.event().parameters().get("seq")));
			byObserver.forEach((id, seqs) -> runs.computeIfAbsent(id, (key) -> new ArrayList<>()).add(seqs));
		}
		int handedOver = 0;
		for (Map.Entry<Long, List<List<Integer>>> entry : runs.entrySet()) {
			List<List<Integer>> observerRuns = new ArrayList<>(entry.getValue());
			observerRuns.forEach((run) -> assertThat(run).as("observer %s on one instance", entry.getKey()).isSorted());
			observerRuns.sort(Comparator.comparing((List<Integer> run) -> run.get(0)));
			for (int i = 1; i < observerRuns.size(); i++) {
				List<Integer> previous = observerRuns.get(i - 1);
				assertThat(previous.get(previous.size() - 1))
					.as("observer %s: runs of two instances interleave: %s", entry.getKey(), observerRuns)
					.isLessThan(observerRuns.get(i).get(0));
			}
			handedOver += observerRuns.size() - 1;
		}
		System.out.println("partitioning | ordered | " + runs.size() + " observers in order | " + handedOver
				+ " hand-overs between instances");
	}

	private Set<String> distinct() {
		Set<String> seen = new HashSet<>();
		this.handlers.forEach((handler) -> handler.deliveries()
			.forEach((delivery) -> seen.add(delivery.companyId() + "#" + delivery.event().parameters().get("seq"))));
		return seen;
	}

}
