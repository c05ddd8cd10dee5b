package io.eventlistener.delivery;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.eventlistener.DeliveryMode;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.it.Company;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DeliveryMode#ORDERED} on the real broker and database, with two instances: one
 * in a JVM of its own, killed ({@code SIGKILL}) in the middle of a stream of events, and
 * one in this JVM that takes over. Every event is handled, in the order published; the
 * only repeats are the killed instance's unacknowledged deliveries, handled again first
 * and flagged as redelivered. Run on RabbitMQ 3.10 and 4.0.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RabbitBroker.class)
@ExtendWith(OutputCaptureExtension.class)
class OrderedDeliveryIntegrationTests {

	private static final int EVENTS = 3000;

	private static final int AFTER_KILL = 500;

	/** The event an instance holds when it hands its ordered queue over. */
	private static final int HELD = 5;

	private final TestNamespace namespace;

	private Process killed;

	OrderedDeliveryIntegrationTests(RabbitBroker rabbit) {
		this.namespace = TestNamespace.create(rabbit, Company.DDL, DeliveryTestApplication.DDL);
	}

	@AfterEach
	void stop() {
		if (this.killed != null) {
			this.killed.destroyForcibly();
		}
		this.namespace.close();
	}

	@Test
	void oneInstanceAtATimeInOrderAndTheOtherTakesOverWhenItIsKilled() throws Exception {
		long id = insertCompany();
		String queue = this.namespace.queuePrefix() + ".company." + id;
		this.killed = startInOwnJvm("a");
		await().atMost(Duration.ofMinutes(3))
			.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers()).orElse(0) == 1);
		ConfigurableApplicationContext b = this.namespace.start(DeliveryTestApplication.class, settings("b"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers()).orElse(0) == 2);
		assertThat(this.namespace.broker().declaration(queue).orElseThrow().arguments())
			.isEqualTo(Map.of("x-single-active-consumer", "true"));

		try (RawAmqp.Publisher publisher = RawAmqp.publisher(this.namespace.rabbit())) {
			for (int seq = 1; seq <= EVENTS; seq++) {
				publish(publisher, seq);
			}
			await().atMost(Duration.ofMinutes(2)).until(() -> count("instance = 'a'") >= 100);
			this.killed.destroyForcibly();
			assertThat(this.killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
			for (int seq = EVENTS + 1; seq <= EVENTS + AFTER_KILL; seq++) {
				publish(publisher, seq);
			}
		}
		await().atMost(Duration.ofMinutes(3)).until(() -> distinctSeqs() == EVENTS + AFTER_KILL);

		List<Handled> handled = handled();
		List<Integer> firstOccurrences = new ArrayList<>();
		Set<Integer> seen = new HashSet<>();
		for (Handled row : handled) {
			if (seen.add(row.seq())) {
				firstOccurrences.add(row.seq());
			}
			else {
				assertThat(row.redelivered()).as("a repeat of event %d is flagged as redelivered", row.seq()).isTrue();
			}
		}
		assertThat(firstOccurrences).as("broker order").isSorted().hasSize(EVENTS + AFTER_KILL);
		assertThat(handled.stream().filter((row) -> !row.redelivered()).map(Handled::seq).toList())
			.as("first deliveries in order, each once")
			.isSorted()
			.doesNotHaveDuplicates();
		// one instance at a time: the killed one before, the other one after
		int lastOfA = lastIndexOf(handled, "a");
		assertThat(handled.subList(0, lastOfA + 1)).allMatch((row) -> row.instance().equals("a"));
		assertThat(handled.subList(lastOfA + 1, handled.size())).allMatch((row) -> row.instance().equals("b"));
		assertThat(lastOfA + 1).isLessThan(EVENTS);
		assertThat(handled.get(lastOfA + 1).redelivered())
			.as("what the killed instance held comes first, flagged as redelivered")
			.isTrue();
		long redelivered = count("redelivered");
		assertThat(redelivered).as("at most what the killed instance held unacknowledged (the prefetch)")
			.isBetween(1L, 250L);
		System.out.println("Ordered fail-over: the killed instance handled " + (lastOfA + 1) + " events, the other "
				+ (handled.size() - lastOfA - 1) + ", of which " + redelivered + " redelivered");
		assertThat(b.getBean(ObserverRegistry.class).registrations()).hasSize(1);
	}

	/**
	 * A graceful stop while the active instance handles an event: the other takes the
	 * queue only once that event is done. A {@code basic.cancel} at the stop handed the
	 * queue on at once, and the other handled the later events first.
	 */
	@Test
	void aGracefulStopHandsTheQueueOnOnlyOnceTheEventInHandIsDone() throws Exception {
		List<Handled> handled = handOverWhileAnEventIsInHand(ConfigurableApplicationContext::close);
		assertThat(handled.subList(HELD, handled.size())).as("after the held one, all by the other instance")
			.allMatch((row) -> row.instance().equals("b"));
	}

	/**
	 * The same when the instance stops consuming the queue and goes on (a partition
	 * hand-over): it cancels the consumer only once the event in hand is done (it may
	 * handle the events already published meanwhile).
	 */
	@Test
	void aCancelledQueueIsHandedOnOnlyOnceTheEventInHandIsDone() throws Exception {
		handOverWhileAnEventIsInHand((application) -> application.getBean(EventListenerAssembly.class)
			.consumers()
			.cancel(this.namespace.queuePrefix() + ".company."
					+ application.getBean(ObserverRegistry.class).registrations().iterator().next().key().id()));
	}

	/**
	 * A hand-over in the middle of a backlog: the instance handing over always has an
	 * event in hand and the next one on its way, and never a quiet moment. The other
	 * instance takes the queue with the first event not handled, each event once and in
	 * order. A {@code basic.cancel} after waiting for a quiet moment (which never came
	 * before the shutdown timeout) let the other handle the next event while the first
	 * still held one.
	 */
	@Test
	void aQueueHandedOverInTheMiddleOfABacklogKeepsItsOrder() throws Exception {
		long id = insertCompany();
		String queue = this.namespace.queuePrefix() + ".company." + id;
		ConfigurableApplicationContext a = this.namespace.start(DeliveryTestApplication.class,
				append(settings("a"), "delivery-test.handling-time=20ms", "event-listener.shutdown.timeout=2s"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers()).orElse(0) == 1);
		this.namespace.start(DeliveryTestApplication.class, settings("b"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers()).orElse(0) == 2);
		int events = 300;
		try (RawAmqp.Publisher publisher = RawAmqp.publisher(this.namespace.rabbit())) {
			for (int seq = 1; seq <= events; seq++) {
				publish(publisher, seq);
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> count("instance = 'a'") >= 30);
		a.getBean(EventListenerAssembly.class).consumers().cancel(queue);
		await().atMost(Duration.ofSeconds(60)).until(() -> distinctSeqs() == events);

		List<Handled> handled = handled();
		assertThat(handled).as("each once, in broker order")
			.extracting(Handled::seq)
			.containsExactlyElementsOf(IntStream.rangeClosed(1, events).boxed().toList());
		int lastOfA = lastIndexOf(handled, "a");
		assertThat(handled.subList(lastOfA + 1, handled.size())).as("after the hand-over, all by the other instance")
			.isNotEmpty()
			.allMatch((row) -> row.instance().equals("b"));
		System.out.println("Ordered hand-over in a backlog: " + (lastOfA + 1) + " events by the instance handing over, "
				+ (events - lastOfA - 1) + " by the other");
	}

	/**
	 * Two instances on an ordered queue; events 1 to 20 published while {@code a} is
	 * active, {@code a} handed over while it holds event {@value #HELD} for 3 s, then 10
	 * more published, which {@code b} handles.
	 */
	private List<Handled> handOverWhileAnEventIsInHand(Consumer<ConfigurableApplicationContext> handOver)
			throws Exception {
		long id = insertCompany();
		String queue = this.namespace.queuePrefix() + ".company." + id;
		ConfigurableApplicationContext a = this.namespace.start(DeliveryTestApplication.class,
				append(settings("a"), "delivery-test.held-seq=" + HELD, "delivery-test.held-for=3s"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers()).orElse(0) == 1);
		this.namespace.start(DeliveryTestApplication.class, settings("b"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers()).orElse(0) == 2);

		try (RawAmqp.Publisher publisher = RawAmqp.publisher(this.namespace.rabbit())) {
			for (int seq = 1; seq <= 20; seq++) {
				publish(publisher, seq);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> count("instance = 'a'") == HELD - 1);
			handOver.accept(a);
			for (int seq = 21; seq <= 30; seq++) {
				publish(publisher, seq);
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> distinctSeqs() == 30);

		List<Handled> handled = handled();
		assertThat(handled.stream().map(Handled::seq).distinct().toList()).as("first handled, in broker order")
			.isSorted()
			.hasSize(30);
		assertThat(handled.get(HELD - 1)).as("the held event, finished by the instance handing over")
			.isEqualTo(new Handled("a", HELD, false));
		assertThat(handled.subList(20, 30)).as("published after the hand-over")
			.allMatch((row) -> row.instance().equals("b"));
		assertThat(handled).as("each once").hasSize(30);
		return handled;
	}

	private static String[] append(String[] settings, String... more) {
		List<String> all = new ArrayList<>(List.of(settings));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	@Test
	void anExistingPooledQueueIsRefusedAsOrderedAndNamedWithTheFix(CapturedOutput output) {
		long id = insertCompany();
		String queue = this.namespace.queuePrefix() + ".company." + id;
		// the previous deploy pooled the type
		this.namespace.start(DeliveryTestApplication.class, "event-listener.delivery.instance-id=old").close();

		ConfigurableApplicationContext application = this.namespace.start(DeliveryTestApplication.class,
				settings("new"));

		ObserverKey key = new ObserverKey("Company", String.valueOf(id));
		assertThat(application.getBean(ObserverRegistry.class).refused()).containsExactly(Map.entry(key, queue));
		assertThat(output).contains("Observer " + key + " is not consumed: Queue " + queue)
			.contains("delivery ORDERED")
			.contains("rabbitmqctl delete_queue " + queue)
			.contains("inequivalent arg 'x-single-active-consumer'");
	}

	private String[] settings(String instance) {
		return new String[] { "event-listener.delivery.observers.Company=ordered",
				"event-listener.delivery.instance-id=" + instance };
	}

	/**
	 * The application in a JVM of its own, with this JVM's class path, so that killing it
	 * is a process dying: its connections close with no goodbye.
	 */
	private Process startInOwnJvm(String instance) throws IOException {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-Xmx384m", "-cp", System.getProperty("java.class.path"), DeliveryTestApplication.class.getName()));
		this.namespace.properties().forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--" + TestNamespace.NO_WEB_SERVER);
		for (String setting : settings(instance)) {
			command.add("--" + setting);
		}
		// 3,000 events take it at least 15 s, so it is killed mid-stream however fast the
		// machine
		command.add("--delivery-test.handling-time=5ms");
		File log = new File("target/" + this.namespace.id() + "-" + instance + ".log");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private long insertCompany() {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('o', true, 'model.User.*.create')");
		return this.namespace.queryForLong("select id from company where name = 'o'");
	}

	private void publish(RawAmqp.Publisher publisher, int seq) {
		// isimud's exact bytes: no content type, no message id
		publisher.publish(this.namespace.eventsExchange(), "model.User." + seq + ".create",
				("{\"type\":\"model\",\"eventful_type\":\"User\",\"eventful_id\":" + seq
						+ ",\"action\":\"create\",\"parameters\":{\"seq\":" + seq + "}}")
					.getBytes(StandardCharsets.UTF_8),
				false);
	}

	private long count(String condition) {
		return this.namespace.queryForLong("select count(*) from handled where " + condition);
	}

	private long distinctSeqs() {
		return this.namespace.queryForLong("select count(distinct seq) from handled");
	}

	private static int lastIndexOf(List<Handled> handled, String instance) {
		for (int i = handled.size() - 1; i >= 0; i--) {
			if (handled.get(i).instance().equals(instance)) {
				return i;
			}
		}
		throw new AssertionError("instance " + instance + " handled nothing");
	}

	private List<Handled> handled() throws SQLException {
		List<Handled> rows = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(LocalServices.jdbcUrl(this.namespace.id()),
				LocalServices.POSTGRES_USER, "");
				Statement statement = connection.createStatement();
				ResultSet result = statement
					.executeQuery("select instance, seq, redelivered from handled order by id")) {
			while (result.next()) {
				rows.add(new Handled(result.getString(1), result.getInt(2), result.getBoolean(3)));
			}
		}
		return rows;
	}

	private record Handled(String instance, int seq, boolean redelivered) {
	}

}
