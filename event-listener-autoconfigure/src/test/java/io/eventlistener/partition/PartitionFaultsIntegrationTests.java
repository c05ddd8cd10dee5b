package io.eventlistener.partition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventlistener.testsupport.ChildApplication;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.NumberedStream;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partitioned consumption against the faults, with real processes on RabbitMQ and
 * PostgreSQL: three application JVMs share 3,000 observers (2,700 pooled, 300 ordered)
 * while a numbered stream of confirmed events goes to every observer, and then a fourth
 * instance joins, one stops gracefully (SIGTERM), one is killed (SIGKILL) and one freezes
 * (a {@link TcpProxy} in front of its database and broker connections stops forwarding,
 * until the broker closes its connection and the others remove it) and is thawed. After
 * each step, once the assignment settles: every observer queue has exactly one consumer
 * on the broker (held longer than the management API's statistics interval), each
 * instance consumes within ±10 % of its fair share (its {@code eventListenerPartition}
 * health), and at the end nothing is lost, duplicates are within a stated bound and every
 * ordered observer's events were first handled in order. The frozen instance's health
 * says {@code OUT_OF_SERVICE} while frozen and it consumes only its share again after the
 * thaw.
 */
class PartitionFaultsIntegrationTests {

	private static final int SHOPS = 2700;

	private static final int LEDGERS = 300;

	private static final int OBSERVERS = SHOPS + LEDGERS;

	/**
	 * Events published at once before a change: each is 3,000 deliveries, each a row
	 * written by a handler.
	 */
	private static final int BURST = 1;

	/**
	 * From the change on, while it happens and until the group has settled, one event
	 * each this often: 3,000 deliveries each. One every second or two was more than this
	 * two-core machine, running the broker, the database and four instances, handled as
	 * fast as it came: the backlog delayed every stop by the shutdown timeout.
	 */
	private static final Duration STREAM_INTERVAL = Duration.ofSeconds(5);

	/** Longer than the management API's statistics interval (5 s). */
	private static final Duration HOLD = Duration.ofSeconds(7);

	private static final Duration SETTLE = Duration.ofSeconds(90);

	/**
	 * A few heartbeats: at 4 s, on a loaded two-core machine, a starting instance saw the
	 * others' rounds stall past it and removed them all once.
	 */
	private static final String MEMBER_TIMEOUT = "8s";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final TestNamespace namespace = TestNamespace.create(Shop.DDL, Ledger.DDL, PartitionTestApplication.DDL,
			membershipTables());

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<String, Instance> running = new LinkedHashMap<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<String> report = new ArrayList<>();

	private NumberedStream stream;

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.namespace.close();
	}

	@Test
	void joinGracefulStopKillAndFreezeEachSettleWithOneConsumerPerQueueAndNothingLost() {
		this.namespace.sql(
				"insert into shop (id, active, routing_keys) select g, true, '" + NumberedStream.ROUTING_KEY
						+ "' from generate_series(1, " + SHOPS + ") g",
				"insert into ledger (id, active, routing_keys) select g, true, '" + NumberedStream.ROUTING_KEY
						+ "' from generate_series(1, " + LEDGERS + ") g");
		// a persistent event routed to 3,000 durable queues can take the broker longer
		// than the default 5 s to confirm
		this.stream = new NumberedStream(this.namespace.eventsExchange(), Duration.ofSeconds(60));
		this.closeables.add(this.stream);
		TcpProxy database = proxy(LocalServices.POSTGRES_HOST, LocalServices.POSTGRES_PORT);
		TcpProxy broker = proxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);

		long start = System.nanoTime();
		start("p1", null, null);
		awaitMember(this.running.get("p1"));
		start("p2", null, null);
		start("p3", database, broker);
		settle("three instances started", start, null);
		burst();

		// a busy broker answers a new connection's handshake late (more than the client's
		// 10 s while it routes a burst): the fourth starts between bursts, and its
		// buckets, capped at 32 a round, move while the next burst is handled
		step("a fourth joined", false, () -> {
			start("p4", null, null);
			awaitMember(this.running.get("p4"));
		});
		int movedAtJoin = this.lastMoved;

		step("one stopped gracefully (SIGTERM)", true, () -> {
			Instance stopped = this.running.remove("p1");
			assertThat(stopped.application().terminate()).as("exit status after SIGTERM").isIn(0, 143);
			assertThat(stopped.application().output()).contains("Instance p1 left its group");
		});

		int[] atFaults = new int[2];
		step("one killed (SIGKILL)", true, () -> {
			Instance killed = this.running.remove("p2");
			atFaults[0] = consumed(killed);
			killed.application().kill();
		});

		Instance frozen = this.running.get("p3");
		step("one frozen (database and broker traffic held)", true, () -> {
			atFaults[1] = consumed(frozen);
			this.running.remove("p3");
			database.freeze();
			broker.freeze();
		});
		JsonNode lost = partitionHealth(frozen);
		System.out.println("partition faults | frozen instance's health | " + lost);
		assertThat(lost.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
		assertThat(lost.path("details").path("membership").asString()).isEqualTo("PRESUMED_LOST");
		assertThat(lost.path("details").path("observers").path("consumed").asInt()).isPositive();

		Throwable thawed = null;
		try {
			step("the frozen one thawed: it rejoins and stops the buckets that moved", true, () -> {
				database.thaw();
				broker.thaw();
				this.running.put("p3", frozen);
			});
			assertThat(frozen.application().output()).contains("Instance p3 joined its group")
				.contains("stops consuming the buckets that moved");
		}
		catch (AssertionError | ConditionTimeoutException ex) {
			// counted and reported first, thrown at the end
			thawed = ex;
		}

		Outcome outcome = awaitAllHandled();
		// an event sent again because its confirm was late is in every queue twice
		long resent = (long) (this.stream.sends() - this.stream.published()) * OBSERVERS;
		long bound = (long) atFaults[0] + atFaults[1] + resent;
		this.report.forEach(System.out::println);
		System.out.println("partition faults | published " + this.stream.published() + " events to " + OBSERVERS
				+ " observers | handled " + outcome.rows() + " | lost " + outcome.lost() + " | duplicates "
				+ outcome.duplicates() + " (bound " + bound + ", of which events sent twice " + resent
				+ ") | ordered observers in order " + LEDGERS + ", duplicates after a later event "
				+ outcome.lateDuplicates() + " | run " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
				+ " s");
		assertThat(outcome.lost()).as("lost").isZero();
		// a duplicate is a delivery handled and committed whose acknowledgement the
		// broker never read: only the killed and the frozen instance lose
		// acknowledgements (a graceful stop and a hand-over's cancel acknowledge what
		// they
		// handled), at most one per queue they consumed at the fault (one handled at a
		// time per queue, acknowledged after it)
		assertThat(outcome.duplicates()).as("duplicates").isLessThanOrEqualTo(bound);
		assertThat(outcome.outOfOrder()).as("ordered observers' events first handled out of order").isEmpty();
		// the fourth's share is 256 buckets, and only those move; more means the others
		// removed a member that heartbeated late (a round waiting for its hand-over)
		assertThat(movedAtJoin).as("buckets moved when the fourth joined").isLessThanOrEqualTo(Buckets.COUNT * 3 / 8);
		if (thawed != null) {
			throw new AssertionError("After the thaw: " + thawed.getMessage(), thawed);
		}
	}

	/**
	 * Publish (if asked), make a change while a stream of events goes on until every
	 * instance has its share, then wait for the broker to show one consumer per queue.
	 * The management API's per-queue counts are statistics: under the stream, ordered
	 * queues' counts were seen at 0 and 2 for a minute while the queue listed one
	 * consumer, so they are read once the stream has stopped.
	 */
	private void step(String name, boolean burstBefore, Runnable change) {
		// what was published before is handled: at the change, each queue holds at most
		// the one burst
		awaitHandled();
		long rows = this.namespace.queryForLong("select count(*) from handled");
		this.report.add("partition faults | before '" + name + "': all " + this.stream.published()
				+ " events handled by every observer (lost 0) | duplicates so far "
				+ (rows - (long) OBSERVERS * this.stream.published()));
		System.out.println(this.report.get(this.report.size() - 1));
		if (burstBefore) {
			burst();
		}
		long start = System.nanoTime();
		BucketAssignment before = assignment();
		AtomicBoolean settled = new AtomicBoolean();
		int first = this.stream.published() + 1;
		CompletableFuture<Void> during = this.stream.publishUntil(STREAM_INTERVAL, settled::get);
		try {
			change.run();
			// the stream goes on until every instance has its share (the hand-overs done)
			await().atMost(SETTLE)
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptions()
				.untilAsserted(this::assertSharesSettled);
		}
		finally {
			settled.set(true);
			during.join();
		}
		settle(name, start, before);
		this.report.add("partition faults | during '" + name + "': events " + first + ".." + this.stream.published()
				+ " published one a " + STREAM_INTERVAL.toSeconds() + " s");
	}

	private void burst() {
		for (int i = 0; i < BURST; i++) {
			this.stream.publish(this.stream.published() + 1);
		}
	}

	/**
	 * Wait until every running instance is a member that knows every other and consumes
	 * its fair share, and every observer queue has exactly one consumer on the broker;
	 * then hold that for longer than the statistics interval, and record how long it took
	 * and how many buckets changed owner.
	 */
	private void settle(String step, long start, BucketAssignment before) {
		await().atMost(SETTLE)
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.untilAsserted(this::assertSettled);
		long converged = System.nanoTime() - start;
		await().during(HOLD)
			.atMost(SETTLE)
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.untilAsserted(this::assertSettled);
		BucketAssignment after = assignment();
		int moved = 0;
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			String owner = (before != null) ? before.owner(bucket) : null;
			if (before != null && !Objects.equals(owner, after.owner(bucket))) {
				moved++;
			}
		}
		this.lastMoved = moved;
		Map<String, Integer> observers = new TreeMap<>();
		this.running.values().forEach((instance) -> observers.put(instance.id(), consumed(instance)));
		this.report.add(String.format(
				"partition faults | %-66s | converged in %6d ms | buckets moved %4d | observers per instance %s", step,
				Duration.ofNanos(converged).toMillis(), moved, observers));
		System.out.println(this.report.get(this.report.size() - 1));
	}

	/** Buckets that changed owner in the last step. */
	private int lastMoved;

	private void assertSettled() {
		assertSharesSettled();
		assertOneConsumerEach(this.namespace.broker().consumersByQueue(this.namespace.queuePrefix() + "."));
	}

	/**
	 * Every running instance is a member that knows every other and consumes its fair
	 * share, as its health says.
	 */
	private void assertSharesSettled() {
		int share = OBSERVERS / this.running.size();
		for (Instance instance : this.running.values()) {
			JsonNode health = partitionHealth(instance);
			JsonNode details = health.path("details");
			assertThat(health.path("status").asString()).as(instance.id()).isEqualTo("UP");
			List<String> members = new ArrayList<>();
			details.path("members").forEach((member) -> members.add(member.asString()));
			assertThat(members).as(instance.id() + "'s members")
				.containsExactlyInAnyOrderElementsOf(this.running.keySet());
			assertThat(details.path("observers").path("consumed").asInt()).as(instance.id() + "'s observers")
				.isBetween(share * 9 / 10, share * 11 / 10);
		}
	}

	/**
	 * Every observer queue has exactly one consumer, by these counts.
	 */
	private void assertOneConsumerEach(Map<String, Integer> counts) {
		String prefix = this.namespace.queuePrefix() + ".";
		Map<String, Integer> consumers = new TreeMap<>();
		counts.forEach((queue, count) -> {
			if (queue.startsWith(prefix + "shop.") || queue.startsWith(prefix + "ledger.")) {
				consumers.put(queue, count);
			}
		});
		assertThat(consumers).hasSize(OBSERVERS);
		List<String> wrong = consumers.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() != 1)
			.limit(5)
			.map(Map.Entry::getKey)
			.toList();
		assertThat(wrong)
			.as(() -> "observer queues without exactly one consumer: "
					+ wrong.stream().map((queue) -> queue + "=" + consumers.get(queue)).toList() + ", held by "
					+ whoConsumes(wrong))
			.isEmpty();
	}

	/**
	 * Which process holds each consumer of these queues: the broker names the client port
	 * of the consumer's connection, {@code ss} the process that owns it (this JVM: the
	 * proxy of p3).
	 */
	private String whoConsumes(List<String> queues) {
		Map<String, List<String>> holders = new TreeMap<>();
		try {
			Process ss = new ProcessBuilder("ss", "-tnpH").redirectErrorStream(true).start();
			String sockets = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			Map<Long, String> pids = new HashMap<>();
			pids.put(ProcessHandle.current().pid(), "p3 (through the proxy)");
			this.closeables.stream()
				.filter(ChildApplication.class::isInstance)
				.map(ChildApplication.class::cast)
				.forEach((child) -> pids.put(child.process().pid(), child.name()));
			String credentials = Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
			for (String queue : queues) {
				HttpRequest request = HttpRequest
					.newBuilder(URI.create("http://" + LocalServices.RABBIT_HOST + ":"
							+ LocalServices.RABBIT_MANAGEMENT_PORT + "/api/queues/%2F/" + queue))
					.header("Authorization", "Basic " + credentials)
					.build();
				JsonNode details = json.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
				for (JsonNode consumer : details.path("consumer_details")) {
					int port = consumer.path("channel_details").path("peer_port").asInt();
					String holder = sockets.lines()
						.filter((line) -> line.contains("127.0.0.1:" + port + " ") && !line.contains("beam.smp"))
						.map((line) -> pids.entrySet()
							.stream()
							.filter((pid) -> line.contains("pid=" + pid.getKey() + ","))
							.map(Map.Entry::getValue)
							.findFirst()
							.orElse(line))
						.findFirst()
						.orElse("port " + port);
					holders.computeIfAbsent(queue, (key) -> new ArrayList<>())
						.add(holder + " " + consumer.path("channel_details").path("name").asString());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return holders + " (" + ex + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return holders.toString();
	}

	private void awaitMember(Instance instance) {
		await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> "MEMBER".equals(partitionHealth(instance).path("details").path("membership").asString()));
	}

	private int consumed(Instance instance) {
		return partitionHealth(instance).path("details").path("observers").path("consumed").asInt();
	}

	/** The instance's {@code eventListenerPartition} health, from its actuator. */
	private JsonNode partitionHealth(Instance instance) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/actuator/health/eventListenerPartition"))
			.timeout(Duration.ofSeconds(3))
			.build();
		try {
			// 503 for OUT_OF_SERVICE: the body says it all the same
			return json.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Start an instance in a JVM of its own; through the proxies when given, with a short
	 * AMQP heartbeat so the broker closes its connection soon after a freeze.
	 */
	private void start(String id, TcpProxy database, TcpProxy broker) {
		int port = freePort();
		Map<String, Object> settings = new LinkedHashMap<>(this.namespace.properties());
		settings.put("event-listener.consumer.partitioning", "dynamic");
		settings.put("event-listener.partition.heartbeat-interval", "1s");
		settings.put("event-listener.partition.member-timeout", MEMBER_TIMEOUT);
		settings.put("event-listener.partition.max-moves", 32);
		settings.put("event-listener.delivery.instance-id", id);
		settings.put("spring.main.web-application-type", "servlet");
		settings.put("server.port", port);
		settings.put("management.endpoints.web.exposure.include", "health");
		settings.put("management.endpoint.health.show-details", "always");
		if (database != null && broker != null) {
			settings.put("spring.datasource.url", LocalServices.jdbcUrl(this.namespace.id())
				.replace(":" + LocalServices.POSTGRES_PORT + "/", ":" + database.port() + "/"));
			settings.put("spring.rabbitmq.port", broker.port());
			settings.put("spring.rabbitmq.requested-heartbeat", "2s");
		}
		ChildApplication application = ChildApplication.start(PartitionTestApplication.class,
				this.namespace.id() + "-" + id, settings, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
		this.closeables.add(0, application);
		this.running.put(id, new Instance(id, application, port));
	}

	private TcpProxy proxy(String host, int port) {
		TcpProxy proxy = new TcpProxy(host, port);
		this.closeables.add(proxy);
		return proxy;
	}

	private BucketAssignment assignment() {
		String owners = this.namespace.queryForString("select owners from " + MembershipRepository.ASSIGNMENT
				+ " where group_name = '" + this.namespace.queuePrefix() + "'");
		return BucketAssignment.decode(owners);
	}

	/**
	 * Wait until every published event reached every observer (or the time is up), then
	 * count: lost, duplicates, and for each ordered observer whether each event was first
	 * handled after every earlier one.
	 */
	private Outcome awaitAllHandled() {
		long expected = (long) OBSERVERS * this.stream.published();
		try {
			awaitHandled();
		}
		catch (ConditionTimeoutException ex) {
			// counted below
		}
		Map<String, Set<Integer>> seen = new HashMap<>();
		Map<String, Integer> highest = new HashMap<>();
		List<String> outOfOrder = new ArrayList<>();
		long rows = 0;
		int late = 0;
		try (Connection connection = DriverManager.getConnection(LocalServices.jdbcUrl(this.namespace.id()),
				LocalServices.POSTGRES_USER, "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select observer, seq from handled order by id")) {
			while (result.next()) {
				rows++;
				String observer = result.getString(1);
				int seq = result.getInt(2);
				boolean first = seen.computeIfAbsent(observer, (key) -> new HashSet<>()).add(seq);
				int top = highest.getOrDefault(observer, 0);
				if (observer.startsWith("ledger.")) {
					if (first && seq < top && outOfOrder.size() < 10) {
						outOfOrder.add(observer + ": " + seq + " first handled after " + top);
					}
					else if (!first && seq < top) {
						late++;
					}
				}
				highest.put(observer, Math.max(top, seq));
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		long distinct = seen.values().stream().mapToLong(Set::size).sum();
		return new Outcome(rows, expected - distinct, rows - distinct, late, outOfOrder);
	}

	private void awaitHandled() {
		long expected = (long) OBSERVERS * this.stream.published();
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> this.namespace
				.queryForLong("select count(*) from (select distinct observer, seq from handled) d") == expected);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String membershipTables() {
		try {
			return new ClassPathResource("io/eventlistener/partition/schema.sql")
				.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Instance(String id, ChildApplication application, int port) {
	}

	/**
	 * What the handlers wrote.
	 *
	 * @param rows every handling
	 * @param lost events that reached no handler
	 * @param duplicates handlings of an event already handled
	 * @param lateDuplicates of those, an ordered observer's event handled again after a
	 * later one (a redelivery of what a frozen or killed instance had handled)
	 * @param outOfOrder ordered observers' events first handled after a later one
	 */
	record Outcome(long rows, long lost, long duplicates, int lateDuplicates, List<String> outOfOrder) {
	}

}
