package io.eventlistener.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.rabbitmq.client.ShutdownSignalException;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.NumberedStream;
import io.eventlistener.testsupport.NumberedStream.Outcome;
import io.eventlistener.testsupport.RabbitCluster;
import io.eventlistener.testsupport.TestNamespace;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault suite on a three-node RabbitMQ cluster ({@link RabbitCluster}, beside the
 * ordinary broker) with quorum observer queues: a node lost under load, stopped or
 * killed, costs no event, and every observer is consumed again on the nodes that are
 * left; the time from the node's loss to that is measured and printed
 * ({@code fault-suite | ... | recovery}). Each case publishes a numbered stream of
 * confirmed events to {@value #OBSERVERS} observers through another node, and counts what
 * their handlers saw.
 */
@ExtendWith(RabbitCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIntegrationTests {

	private static final int EVENTS = 2000;

	private static final int OBSERVERS = 3;

	/** Unacknowledged deliveries per consumer: what a lost node can redeliver. */
	private static final int PREFETCH = 50;

	private static final Duration RECOVERY = Duration.ofSeconds(120);

	private static final String[] CLUSTER = { "event-listener.queues.type=quorum",
			"event-listener.queues.delivery-limit=20", "spring.rabbitmq.requested-heartbeat=5s",
			"event-listener.retry.initial-interval=20ms", "event-listener.retry.max-interval=50ms",
			"spring.rabbitmq.listener.direct.prefetch=" + PREFETCH };

	private static final String UNACKNOWLEDGED = "per observer queue, the deliveries handled whose acknowledgement "
			+ "the lost node had not read come again, at most the prefetch";

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private final List<String> queues = new ArrayList<>();

	private NumberedStream stream;

	@BeforeEach
	void cluster() {
		// a node killed under Spring AMQP's feet makes its deferred channel-closing pool
		// throw in a thread of its own; Awaitility would fail the waiting test for it
		Awaitility.doNotCatchUncaughtExceptionsByDefault();
		// a case that failed half-way may have left a node down
		RabbitCluster.ensureUp();
		String prefix = this.namespace.queuePrefix();
		this.queues.addAll(List.of(prefix + ".audit", prefix + ".dead-letter"));
	}

	@AfterEach
	void stop() {
		Awaitility.reset();
		if (this.stream != null) {
			this.stream.close();
		}
		this.namespace.close();
		RabbitCluster.ensureUp();
		String prefix = this.namespace.queuePrefix();
		RabbitCluster.delete(3, this.queues,
				List.of(this.namespace.eventsExchange(), this.namespace.modelsExchange(), prefix + ".dead-letter"));
	}

	@Test
	@Order(1)
	void theNodeTheApplicationIsConnectedToIsStoppedUnderLoad() {
		List<Long> observers = insertObservers();
		ConfigurableApplicationContext application = start(1);
		assertThat(connectedNode(application)).isEqualTo(1);
		awaitConsumed(2, consumedQueues(observers));
		this.stream = new NumberedStream(this.namespace.eventsExchange(), RabbitCluster.addresses(3));
		Loss loss = connectionLoss(application, this.stream);

		CompletableFuture<Void> fault = new CompletableFuture<>();
		CompletableFuture<Void> publishing = this.stream.publishAsync(1, EVENTS, (seq) -> {
			if (seq == EVENTS / 4) {
				CompletableFuture.runAsync(() -> RabbitCluster.stopApp(1))
					.whenComplete((done, ex) -> fault.complete(null));
				return true;
			}
			return false;
		});
		await().atMost(RECOVERY).until(() -> loss.at() != 0);
		long handlingAgain = awaitHandlingAgain(application, observers, loss.published(), publishing);
		fault.join();
		awaitConsumed(2, consumedQueues(observers));
		Map<String, String> leaders = RabbitCluster.leaders(2, this.namespace.queuePrefix() + ".company.");
		assertThat(connectedNode(application)).isNotEqualTo(1);
		RabbitCluster.startApp(1);
		publishing.join();

		String fault1 = "cluster: connected node stopped (stop_app)";
		Outcome outcome = awaitAllHandled(fault1, application);
		printRecovery(fault1, loss.at(), handlingAgain);
		assertThat(leaders).hasSize(OBSERVERS).doesNotContainValue(RabbitCluster.nodeName(1));
		outcome.assertLostNoneAndDuplicatesAtMost(PREFETCH * OBSERVERS, UNACKNOWLEDGED);
	}

	@Test
	@Order(2)
	void aNodeHoldingQuorumLeadersIsKilledUnderLoad() {
		List<Long> observers = insertObservers();
		ConfigurableApplicationContext application = start(1);
		awaitConsumed(2, consumedQueues(observers));
		int leader = mostLeaders(RabbitCluster.leaders(2, this.namespace.queuePrefix() + ".company."));
		int survivor = leader % RabbitCluster.NODES + 1;
		this.stream = new NumberedStream(this.namespace.eventsExchange(), RabbitCluster.addresses(survivor));
		AtomicLong killedAt = new AtomicLong();
		AtomicInteger publishedAtKill = new AtomicInteger();
		String fault = "cluster: quorum leader node killed (kill -9)";
		try {
			CompletableFuture<Void> publishing = this.stream.publishAsync(1, EVENTS, (seq) -> {
				if (seq == EVENTS / 4) {
					CompletableFuture.runAsync(() -> {
						ProcessHandle vm = RabbitCluster.kill(leader);
						// the signal is the loss; the process may take a moment to be
						// reaped
						publishedAtKill.set(this.stream.published());
						killedAt.set(System.nanoTime());
						vm.onExit().join();
					});
					return true;
				}
				return false;
			});
			await().atMost(RECOVERY).until(() -> killedAt.get() != 0);
			long handlingAgain = awaitHandlingAgain(application, observers, publishedAtKill.get(), publishing);
			awaitConsumed(survivor, consumedQueues(observers));
			assertThat(RabbitCluster.leaders(survivor, this.namespace.queuePrefix() + ".company.")).hasSize(OBSERVERS)
				.doesNotContainValue(RabbitCluster.nodeName(leader));
			publishing.join();
			// while the killed node is still down
			Outcome outcome = awaitAllHandled(fault, application);
			printRecovery(fault + " " + RabbitCluster.nodeName(leader), killedAt.get(), handlingAgain);
			outcome.assertLostNoneAndDuplicatesAtMost(PREFETCH * OBSERVERS, UNACKNOWLEDGED);
		}
		finally {
			// the next case needs all three
			RabbitCluster.startNode(leader);
		}
	}

	@Test
	@Order(3)
	void anObserverCreatedThroughOneNodeIsRegisteredByInstancesOnTwoOthers() {
		ConfigurableApplicationContext first = start(1);
		ConfigurableApplicationContext second = start(2);
		assertThat(List.of(connectedNode(first), connectedNode(second))).containsExactly(1, 2);

		// created through the first instance: its model-watcher message goes through node
		// 1
		Company company = first.getBean(CompanyRepository.class)
			.save(new Company("created", true, List.of(NumberedStream.ROUTING_KEY)));
		ObserverKey key = new ObserverKey("Company", String.valueOf(company.getId()));
		String queue = this.namespace.queuePrefix() + ".company." + company.getId();
		this.queues.add(queue);
		await().atMost(RECOVERY).untilAsserted(() -> {
			assertThat(first.getBean(ObserverRegistry.class).find(key)).isPresent();
			assertThat(second.getBean(ObserverRegistry.class).find(key)).isPresent();
			assertThat(RabbitCluster.consumers(3, List.of(queue))).containsEntry(queue, 2);
		});

		this.stream = new NumberedStream(this.namespace.eventsExchange(), RabbitCluster.addresses(3));
		this.stream.publishAsync(1, EVENTS, (seq) -> false).join();
		String fault = "cluster: observer created via node 1, apps on 1 and 2";
		await().atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> NumberedStream.count(fault, EVENTS, handled(first, second)).lost() == 0);
		NumberedStream.count(fault, EVENTS, handled(first, second))
			.assertLostNoneAndDuplicatesAtMost(0, "no fault: each event goes to one of the two competing consumers");
		// competing consumers: both instances took a share
		assertThat(first.getBean(RecordingHandler.class).sequenceNumbers()).isNotEmpty();
		assertThat(second.getBean(RecordingHandler.class).sequenceNumbers()).isNotEmpty();
	}

	private List<Long> insertObservers() {
		List<Long> ids = new ArrayList<>();
		for (int i = 1; i <= OBSERVERS; i++) {
			this.namespace.sql("insert into company (name, active, routing_keys) values ('c" + i + "', true, '"
					+ NumberedStream.ROUTING_KEY + "')");
			long id = this.namespace.queryForLong("select id from company where name = 'c" + i + "'");
			ids.add(id);
			this.queues.add(this.namespace.queuePrefix() + ".company." + id);
		}
		return ids;
	}

	/**
	 * The observers' queues and the application's own.
	 */
	private List<String> consumedQueues(List<Long> observers) {
		List<String> queues = new ArrayList<>();
		observers.forEach((id) -> queues.add(this.namespace.queuePrefix() + ".company." + id));
		queues.add(this.namespace.queuePrefix() + ".audit");
		return queues;
	}

	private ConfigurableApplicationContext start(int node) {
		List<String> properties = new ArrayList<>(List.of(CLUSTER));
		properties.add("spring.rabbitmq.addresses=" + RabbitCluster.addresses(node));
		return this.namespace.start(ObserverTestApplication.class, properties.toArray(String[]::new));
	}

	/**
	 * Wait until every queue has a consumer again, as a node that is up reports it (a
	 * quorum queue may still count the consumer of a killed node, suspected down, until
	 * that node is back).
	 */
	private static void awaitConsumed(int node, List<String> queues) {
		await().atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> RabbitCluster.consumers(node, queues).values().stream().allMatch((count) -> count >= 1));
	}

	/**
	 * Wait until every observer handled an event published after the loss: consuming
	 * again, seen from the outside.
	 * @return when that was first seen, {@link System#nanoTime()}
	 */
	private static long awaitHandlingAgain(ConfigurableApplicationContext application, List<Long> observers,
			int publishedAtLoss, CompletableFuture<Void> publishing) {
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		AtomicLong seen = new AtomicLong();
		await().atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(50))
			.failFast("the test's publisher stopped", publishing::isCompletedExceptionally)
			.until(() -> {
				Set<Long> handling = handler.deliveries()
					.stream()
					.filter((delivery) -> delivery.event().parameters().get("seq") instanceof Integer seq
							&& seq > publishedAtLoss)
					.map(RecordingHandler.Delivery::companyId)
					.collect(Collectors.toSet());
				if (handling.containsAll(observers)) {
					seen.set(System.nanoTime());
					return true;
				}
				return false;
			});
		return seen.get();
	}

	/**
	 * Records when the application's connection was first lost, and how many events were
	 * published by then.
	 */
	private static Loss connectionLoss(ConfigurableApplicationContext application, NumberedStream stream) {
		Loss loss = new Loss();
		application.getBean(CachingConnectionFactory.class).addConnectionListener(new ConnectionListener() {

			@Override
			public void onCreate(org.springframework.amqp.rabbit.connection.Connection connection) {
			}

			@Override
			public void onShutDown(ShutdownSignalException signal) {
				loss.record(stream.published());
			}

		});
		return loss;
	}

	private static int connectedNode(ConfigurableApplicationContext application) {
		return application.getBean(CachingConnectionFactory.class).createConnection().getDelegate().getPort() - 5680;
	}

	private static int mostLeaders(Map<String, String> leaders) {
		String node = leaders.values()
			.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
			.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue())
			.orElseThrow()
			.getKey();
		return Integer.parseInt(node.substring("rabbit-c".length(), node.indexOf('@')));
	}

	/**
	 * Every observer must see every event: the outcome adds up each observer's stream.
	 */
	private Outcome awaitAllHandled(String fault, ConfigurableApplicationContext application) {
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		await().atMost(RECOVERY).pollInterval(Duration.ofMillis(250)).until(() -> outcome(fault, handler).lost() == 0);
		return outcome(fault, handler);
	}

	private static Outcome outcome(String fault, RecordingHandler handler) {
		Map<Long, List<Integer>> byObserver = handler.deliveries()
			.stream()
			.collect(Collectors.groupingBy(RecordingHandler.Delivery::companyId, Collectors
				.mapping((delivery) -> (Integer) delivery.event().parameters().get("seq"), Collectors.toList())));
		int handled = 0;
		int lost = EVENTS * (OBSERVERS - byObserver.size());
		int duplicates = 0;
		for (List<Integer> sequenceNumbers : byObserver.values()) {
			Outcome one = NumberedStream.count(fault, EVENTS, sequenceNumbers);
			handled += one.handled();
			lost += one.lost();
			duplicates += one.duplicates();
		}
		return new Outcome(fault, EVENTS * OBSERVERS, handled, lost, duplicates);
	}

	private static List<Integer> handled(ConfigurableApplicationContext... applications) {
		List<Integer> all = new ArrayList<>();
		for (ConfigurableApplicationContext application : applications) {
			all.addAll(application.getBean(RecordingHandler.class).sequenceNumbers());
		}
		return all;
	}

	private static void printRecovery(String fault, long lostAt, long consumingAgainAt) {
		System.out.printf("fault-suite | %-48s | recovery: all %d observers handling new events %d ms after the "
				+ "node's loss%n", fault, OBSERVERS, Duration.ofNanos(consumingAgainAt - lostAt).toMillis());
	}

	/**
	 * When a connection was lost ({@link System#nanoTime()}, 0 until then) and how many
	 * events were published by then.
	 */
	private static final class Loss {

		private final AtomicLong at = new AtomicLong();

		private final AtomicInteger published = new AtomicInteger();

		void record(int publishedSoFar) {
			if (this.at.get() == 0) {
				this.published.set(publishedSoFar);
				this.at.compareAndSet(0, System.nanoTime());
			}
		}

		long at() {
			return this.at.get();
		}

		int published() {
			return this.published.get();
		}

	}

}
