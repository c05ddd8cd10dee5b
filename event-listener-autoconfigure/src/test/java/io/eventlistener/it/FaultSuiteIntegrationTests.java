package io.eventlistener.it;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.rabbitmq.client.ShutdownSignalException;
import io.eventlistener.BrokerBlockedException;
import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.actuate.OutageHealthIndicator;
import io.eventlistener.actuate.PublisherHealthIndicator;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.AmqpAlarmProxy;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.LogNoise;
import io.eventlistener.testsupport.NumberedStream;
import io.eventlistener.testsupport.NumberedStream.Outcome;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.wire.EventCodec;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The fault suite: a numbered stream of events, a fault injected mid-stream, and then the
 * proof that every published event was handled at least once (lost = 0); duplicates are
 * counted and printed, one summary line per case ({@code fault-suite | ...}). The
 * frozen-network and database-cut cases also count the ERROR and stack-trace lines the
 * fault caused in the output ({@link LogNoise}) and fail above a stated bound.
 * <p>
 * Faults are injected so that only this test's own connections suffer, except where the
 * broker itself is the point: the broker's management API closes this application's
 * connections, a {@link TcpProxy} between the application and RabbitMQ or PostgreSQL
 * plays an outage, and {@code rabbitmqctl stop_app}/{@code start_app} restarts the
 * broker.
 */
@ExtendWith(OutputCaptureExtension.class)
class FaultSuiteIntegrationTests {

	private static final int EVENTS = 2000;

	private static final Duration RECOVERY = Duration.ofSeconds(120);

	/** How long the database-cut case keeps the database away. */
	private static final Duration DATABASE_CUT = Duration.ofSeconds(60);

	/** The load of the database-cut and churn cases, in events per second. */
	private static final int LOAD = 20;

	/** How long the churn case closes connections, and how often. */
	private static final Duration CHURN = Duration.ofMinutes(3);

	private static final Duration CHURN_INTERVAL = Duration.ofSeconds(10);

	/**
	 * How much more heap (after GC) the churn case accepts afterwards: the test's handler
	 * keeps every delivery it saw (about 1 KiB each, 3,400 more than at the baseline), so
	 * a leak of 1 MiB per reconnect (17 of them) would still exceed it.
	 */
	private static final long CHURN_HEAP_MARGIN = 16L * 1_048_576;

	/** How many more threads the churn case accepts afterwards (17 reconnects). */
	private static final int CHURN_THREAD_MARGIN = 5;

	/**
	 * The ERROR lines a frozen network may log: the application's own connection (Boot's
	 * {@code RabbitAdmin} and the watcher container use it) is the application's, so its
	 * RabbitMQ client reports the missed heartbeat at ERROR, and Spring AMQP's container
	 * logs "Consumer canceled - channel closed" at ERROR; the starter's own connections
	 * log one WARN line each, without a stack trace.
	 */
	private static final int FREEZE_ERROR_LINES = 2;

	/** The stack trace of the application's connection's missed heartbeat (5 lines). */
	private static final int FREEZE_STACK_TRACE_LINES = 5;

	/**
	 * One stack trace (38 lines) that Hikari, the application's pool, logs for the
	 * connection a handler was using when the database went ("marked as broken"); the
	 * starter logs one WARN line per fault and phase, no stack trace, no ERROR.
	 */
	private static final int DATABASE_CUT_STACK_TRACE_LINES = 40;

	/** Every health indicator of the starter answers within this, whatever the fault. */
	private static final Duration HEALTH_BOUND = Duration.ofMillis(2500);

	/** Unacknowledged deliveries per consumer: what a lost connection can redeliver. */
	private static final int PREFETCH = 50;

	private static final String[] FAST = { "event-listener.retry.initial-interval=20ms",
			"event-listener.retry.max-interval=50ms", "spring.rabbitmq.listener.direct.prefetch=" + PREFETCH };

	private static final String UNACKNOWLEDGED = "deliveries handled whose acknowledgement the broker had not read "
			+ "when the connection went come again, at most the prefetch";

	private static final String NO_FAULT_ON_DELIVERY = "nothing interrupts a delivery between its handler and its "
			+ "acknowledgement";

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private final NumberedStream stream = new NumberedStream(this.namespace.eventsExchange());

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private long observer;

	@AfterEach
	void stop() throws Exception {
		this.stream.close();
		this.namespace.close();
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void connectionsForceClosedByTheBroker() {
		insertObserver();
		ConfigurableApplicationContext application = start();
		this.stream
			.publishAsync(1, EVENTS,
					(seq) -> seq == EVENTS / 4
							&& this.namespace.broker().closeConnections(this.namespace.queuePrefix()) > 0)
			.join();
		Outcome outcome = awaitAllHandled("all client connections closed by the broker", handled(application));
		outcome.assertLostNoneAndDuplicatesAtMost(PREFETCH, UNACKNOWLEDGED);
	}

	@Test
	void brokerApplicationStoppedAndStartedAgain() {
		// the local broker runs with 1024 open files: recovering many hundreds of durable
		// queues after start_app can stall it, and it is shared with everything on this
		// machine
		assertThat(this.namespace.broker().queueNames("").size())
			.as("queues on the broker before restarting it; clean up leftovers first")
			.isLessThan(300);
		insertObserver();
		ConfigurableApplicationContext application = start();
		try {
			this.stream.publishAsync(1, EVENTS, (seq) -> {
				if (seq == EVENTS / 4) {
					rabbitmqctl("stop_app");
					rabbitmqctl("start_app");
					return true;
				}
				return false;
			}).join();
		}
		finally {
			rabbitmqctl("start_app");
		}
		Outcome outcome = awaitAllHandled("broker application stopped and started again", handled(application));
		outcome.assertLostNoneAndDuplicatesAtMost(PREFETCH, UNACKNOWLEDGED);
	}

	@Test
	void observersChangedWhileTheConnectionWasDown() {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('changed', true, 'fault.#')",
				"insert into company (name, active, routing_keys) values ('deleted', true, 'fault.#')");
		long changed = this.namespace.queryForLong("select id from company where name = 'changed'");
		long deleted = this.namespace.queryForLong("select id from company where name = 'deleted'");
		TcpProxy rabbit = proxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		ConfigurableApplicationContext application = start("spring.rabbitmq.port=" + rabbit.port());
		ObserverRegistry registry = application.getBean(ObserverRegistry.class);
		assertThat(registry.registrations()).hasSize(2);

		rabbit.pause();
		this.namespace.sql("insert into company (name, active, routing_keys) values ('c', true, 'fault.#')",
				"update company set routing_keys = 'other.#' where name = 'changed'",
				"delete from company where name = 'deleted'");
		this.observer = this.namespace.queryForLong("select id from company where name = 'c'");
		rabbit.resume();

		await().atMost(RECOVERY).untilAsserted(() -> {
			assertThat(registry.find(new ObserverKey("Company", String.valueOf(this.observer)))).isPresent();
			assertThat(registry.find(new ObserverKey("Company", String.valueOf(deleted)))).isEmpty();
			assertThat(registry.find(new ObserverKey("Company", String.valueOf(changed))).orElseThrow().routingKeys())
				.containsExactly("other.#");
		});
		assertThat(this.namespace.broker().queue(this.namespace.queuePrefix() + ".company." + deleted)).isEmpty();
		this.stream.publishAsync(1, EVENTS, (seq) -> false).join();
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		Outcome outcome = awaitAllHandled("observer created, changed, deleted while disconnected",
				() -> handler.deliveries()
					.stream()
					.filter((delivery) -> delivery.companyId() == this.observer)
					.map((delivery) -> (Integer) delivery.event().parameters().get("seq"))
					.toList());
		outcome.assertLostNoneAndDuplicatesAtMost(0, "the stream is published after the reconnect");
		assertThat(handler.routingKeysFor(changed)).isEmpty();
	}

	@Test
	void applicationStoppedGracefullyAndStartedAgain() {
		insertObserver();
		ConfigurableApplicationContext first = start();
		Supplier<List<Integer>> handledByFirst = handled(first);
		this.stream.publishAsync(1, EVENTS, (seq) -> {
			if (seq == EVENTS / 3) {
				first.close();
				return true;
			}
			return false;
		}).join();
		ConfigurableApplicationContext second = start();
		Outcome outcome = awaitAllHandled("application stopped gracefully and restarted",
				() -> concat(handledByFirst.get(), handled(second).get()));
		outcome.assertLostNoneAndDuplicatesAtMost(0,
				"a graceful stop acknowledges what its handlers finished and returns the rest unhandled");
	}

	@Test
	void brokerDownWhenTransactionsCommitEvents() {
		insertObserver();
		TcpProxy rabbit = proxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		ConfigurableApplicationContext application = start("spring.rabbitmq.port=" + rabbit.port(),
				"event-listener.outbox.relay-interval=500ms", "event-listener.outbox.retry-after=1s");
		for (int seq = 1; seq <= EVENTS / 2; seq++) {
			this.stream.publish(seq);
		}
		rabbit.pause();
		EventPublisher publisher = application.getBean(EventPublisher.class);
		TransactionTemplate transaction = application.getBean(TransactionTemplate.class);
		for (int seq = EVENTS / 2 + 1; seq <= EVENTS; seq++) {
			int number = seq;
			transaction.executeWithoutResult((status) -> publisher
				.publish(Event.builder().type("fault").action("stream").parameter("seq", number).build()));
		}
		rabbit.resume();
		Outcome outcome = awaitAllHandled("broker down while transactions commit events", handled(application));
		outcome.assertLostNoneAndDuplicatesAtMost(EVENTS / 2,
				"an event whose confirm the cut lost is sent again by the relay: at most the events committed during the cut");
	}

	@Test
	void handlerAlwaysFailsOnOneMessage() {
		insertObserver();
		ConfigurableApplicationContext application = start("event-listener.retry.max-attempts=3");
		application.getBean(RecordingHandler.class).poison(777);
		this.stream.publishAsync(1, EVENTS, (seq) -> false).join();
		Message dead = application.getBean(RabbitTemplate.class)
			.receive(this.namespace.queuePrefix() + ".dead-letter", 30_000);
		assertThat(dead).as("the poison message in the dead-letter queue").isNotNull();
		assertThat(new EventCodec().read(dead.getBody()).parameters()).containsEntry("seq", 777);
		Outcome outcome = awaitAllHandled("handler always fails on one message (dead-lettered)",
				() -> concat(handled(application).get(), List.of(777)));
		outcome.assertLostNoneAndDuplicatesAtMost(0, NO_FAULT_ON_DELIVERY);
		assertThat(handled(application).get()).doesNotContain(777);
		assertThat(application.getBean(RabbitTemplate.class).receive(this.namespace.queuePrefix() + ".dead-letter"))
			.isNull();
	}

	@Test
	void errorBudgetExceededStopsTheListenerAndLosesNothing() {
		insertObserver();
		ConfigurableApplicationContext application = start("event-listener.error.limit=5",
				"event-listener.retry.mode=never", "event-listener.error.on-limit=stop");
		application.getBean(RecordingHandler.class).poison(100, 101, 102, 103, 104);
		this.stream.publishAsync(1, EVENTS, (seq) -> false).join();
		await().atMost(RECOVERY)
			.until(application.getBean(EventListenerLifecycle.class)::state, (state) -> state == ListenerState.STOPPED);
		List<Integer> accounted = new ArrayList<>(handled(application).get());
		RabbitTemplate template = application.getBean(RabbitTemplate.class);
		accounted.addAll(drain(template, this.namespace.queuePrefix() + ".dead-letter"));
		accounted.addAll(drain(template, this.namespace.queuePrefix() + ".company." + this.observer));
		Outcome outcome = NumberedStream.count("error budget exceeded (handled + dead-lettered + still queued)", EVENTS,
				accounted);
		outcome.assertLostNoneAndDuplicatesAtMost(0, "stopping returns the deliveries not yet handled to the queue");
	}

	@Test
	void databaseUnavailableAtStartUp(CapturedOutput output) {
		insertObserver();
		TcpProxy postgres = proxy(LocalServices.POSTGRES_HOST, LocalServices.POSTGRES_PORT);
		postgres.pause();
		CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(() -> start(
				"spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgres.port() + "/"
						+ LocalServices.POSTGRES_DATABASE + "?currentSchema=" + this.namespace.id(),
				"spring.jpa.database-platform=org.hibernate.dialect.PostgreSQLDialect",
				"spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false"));
		await().atMost(RECOVERY)
			.until(() -> output.getOut().contains("Database jdbc:postgresql://127.0.0.1:" + postgres.port()));
		assertThat(output.getOut()).contains("is unavailable");
		assertThat(starting).isNotDone();
		postgres.resume();
		ConfigurableApplicationContext application = starting.join();
		this.stream.publishAsync(1, EVENTS, (seq) -> false).join();
		Outcome outcome = awaitAllHandled("database unavailable at start-up", handled(application));
		outcome.assertLostNoneAndDuplicatesAtMost(0, NO_FAULT_ON_DELIVERY);
	}

	/**
	 * A resource alarm blocks this application's publishing connection (played by
	 * {@link AmqpAlarmProxy}: only the connections through it, never the shared broker's
	 * other clients): publishing outside a transaction fails within the confirm timeout,
	 * then at once, saying the broker blocks publishers; inside a transaction the caller
	 * returns and the outbox keeps the event; consumers go on acknowledging the stream
	 * another client publishes; health is OUT_OF_SERVICE with the reason. After the alarm
	 * the outbox sends what it kept.
	 */
	@Test
	void brokerBlocksPublishers() {
		insertObserver();
		AmqpAlarmProxy rabbit = new AmqpAlarmProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		this.closeables.add(rabbit);
		Duration confirmTimeout = Duration.ofSeconds(2);
		ConfigurableApplicationContext application = start("spring.rabbitmq.port=" + rabbit.port(),
				"event-listener.publisher.confirm-timeout=" + confirmTimeout.toMillis() + "ms",
				"event-listener.outbox.relay-interval=500ms", "event-listener.outbox.retry-after=1s");
		EventPublisher publisher = application.getBean(EventPublisher.class);
		TransactionTemplate transaction = application.getBean(TransactionTemplate.class);
		PublisherHealthIndicator health = application.getBean(PublisherHealthIndicator.class);
		int inTransactions = 200;
		int streamed = EVENTS - inTransactions;
		Duration bound = confirmTimeout.plusSeconds(1);

		rabbit.raiseAlarm("low on memory (fault suite)");
		List<Throwable> refusals = new ArrayList<>();
		for (int call = 0; call < 5; call++) {
			long start = System.nanoTime();
			refusals
				.add(catchThrowable(() -> publisher.publish(Event.builder().type("fault").action("probe").build())));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("publish outside a transaction")
				.isLessThan(bound);
		}
		assertThat(refusals).allSatisfy((refusal) -> assertThat(refusal).hasMessageContaining("blocking publishers"));
		assertThat(refusals.get(refusals.size() - 1)).isInstanceOf(BrokerBlockedException.class)
			.hasMessageContaining("low on memory (fault suite)");
		Health blocked = health.health();
		assertThat(blocked.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(blocked.getDetails().get("reason").toString()).contains("low on memory (fault suite)");

		long slowest = 0;
		for (int seq = streamed + 1; seq <= EVENTS; seq++) {
			int number = seq;
			long start = System.nanoTime();
			transaction.executeWithoutResult((status) -> publisher
				.publish(Event.builder().type("fault").action("stream").parameter("seq", number).build()));
			slowest = Math.max(slowest, System.nanoTime() - start);
		}
		assertThat(Duration.ofNanos(slowest)).as("slowest transaction publishing an event")
			.isLessThan(confirmTimeout.dividedBy(2));

		// consumers do not publish: they keep acknowledging while publishers are blocked
		this.stream.publishAsync(1, streamed, (seq) -> false).join();
		await().atMost(RECOVERY)
			.until(() -> NumberedStream.count("", streamed, handled(application).get()).lost() == 0);
		assertThat(rabbit.blockedConnections()).as("connections still blocked").isPositive();
		System.out
			.println("fault-suite | blocked: slowest publish in a transaction " + Duration.ofNanos(slowest).toMillis()
					+ " ms, outside one " + confirmTimeout.toMillis() + " ms at most, then refused at once");

		rabbit.clearAlarm();
		await().atMost(RECOVERY).until(() -> health.health().getStatus().equals(Status.UP));
		Outcome outcome = awaitAllHandled("broker blocks publishers (resource alarm)", handled(application));
		outcome.assertLostNoneAndDuplicatesAtMost(inTransactions,
				"an event whose send timed out during the alarm is sent again by the relay: at most the events committed during it");
	}

	/**
	 * The database is cut (TCP proxy closes and refuses its connections) for
	 * {@link #DATABASE_CUT} while handlers query it under {@link #LOAD} events per second
	 * (the stream goes on during the cut): consuming pauses instead of retrying and
	 * dead-lettering, health says why, every health indicator of the starter answers
	 * within its bound, and consuming resumes soon after the database is back. Nothing
	 * dead-lettered, nothing lost, the process alive.
	 */
	@Test
	void databaseCutWhileHandling(CapturedOutput output) {
		insertObserver();
		TcpProxy postgres = proxy(LocalServices.POSTGRES_HOST, LocalServices.POSTGRES_PORT);
		ConfigurableApplicationContext application = start(
				"spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgres.port() + "/"
						+ LocalServices.POSTGRES_DATABASE + "?currentSchema=" + this.namespace.id(),
				"spring.datasource.hikari.connection-timeout=2000", "event-listener.outage.max-probe-interval=2s");
		JdbcTemplate jdbc = application.getBean(JdbcTemplate.class);
		application.getBean(RecordingHandler.class).beforeEach(() -> jdbc.queryForObject("select 1", Integer.class));
		OutagePause pause = application.getBean(OutagePause.class);
		Instant[] cut = new Instant[1];
		CompletableFuture<Void> publishing = this.stream.publishAsync(1, EVENTS, LOAD, (seq) -> {
			if (seq == EVENTS / 4) {
				postgres.pause();
				cut[0] = Instant.now();
				return true;
			}
			return false;
		});
		await().atMost(RECOVERY).until(() -> pause.current().isPresent());
		assertStarterHealthAnswersWithin(application, HEALTH_BOUND);
		assertThat(application.getBean(OutageHealthIndicator.class).health().getStatus())
			.isEqualTo(Status.OUT_OF_SERVICE);
		await().atMost(RECOVERY).until(() -> Duration.between(cut[0], Instant.now()).compareTo(DATABASE_CUT) >= 0);
		int handledBeforeReturn = handled(application).get().size();
		postgres.resume();
		Instant back = Instant.now();
		await().atMost(RECOVERY).until(() -> handled(application).get().size() > handledBeforeReturn);
		Duration resumedAfter = Duration.between(back, Instant.now());
		publishing.join();
		Outcome outcome = awaitAllHandled("database cut " + DATABASE_CUT.toSeconds() + " s while handling",
				handled(application));
		System.out.println("fault-suite | database cut: consuming again " + resumedAfter.toMillis()
				+ " ms after the database came back; pauses " + pause.pauses());
		outcome.assertLostNoneAndDuplicatesAtMost(0,
				"a handler that fails on the database is not recorded; its delivery is tried again",
				logNoise(output, "database-cut", 0, DATABASE_CUT_STACK_TRACE_LINES));
		assertThat(resumedAfter).isLessThan(Duration.ofSeconds(10));
		assertThat(
				this.namespace.broker().queue(this.namespace.queuePrefix() + ".dead-letter").orElseThrow().messages())
			.as("dead-lettered")
			.isZero();
		assertThat(application.getBean(EventListenerLifecycle.class).state()).isEqualTo(ListenerState.RUNNING);
		assertThat(output.getOut().split("Consuming paused", -1)).hasSize((int) pause.pauses() + 1);
	}

	/**
	 * The network to the broker freezes (a TCP proxy stops forwarding, sockets stay open)
	 * under load: the heartbeat detects it, health answers within its bound meanwhile, a
	 * publish outside a transaction fails within the confirm timeout (also one that needs
	 * a new channel, whatever the heartbeat), consuming resumes once the network is back;
	 * nothing lost, duplicates are the deliveries handled but not acknowledged before the
	 * freeze (redelivered).
	 */
	@Test
	void networkToTheBrokerFrozen(CapturedOutput output) {
		insertObserver();
		TcpProxy rabbit = proxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		Duration heartbeat = Duration.parse("PT" + System.getProperty("fault.heartbeat", "2s"));
		Duration confirmTimeout = Duration.ofSeconds(1);
		ConfigurableApplicationContext application = start("spring.rabbitmq.port=" + rabbit.port(),
				"spring.rabbitmq.requested-heartbeat=" + heartbeat.toSeconds() + "s",
				"event-listener.publisher.confirm-timeout=" + confirmTimeout.toMillis() + "ms");
		EventPublisher publisher = application.getBean(EventPublisher.class);
		publisher.publish(Event.builder().type("fault").action("probe").build());
		Instant[] detected = new Instant[1];
		application.getBean(CachingConnectionFactory.class).addConnectionListener(new ConnectionListener() {

			@Override
			public void onCreate(org.springframework.amqp.rabbit.connection.Connection connection) {
			}

			@Override
			public void onShutDown(ShutdownSignalException signal) {
				if (detected[0] == null) {
					detected[0] = Instant.now();
				}
			}

		});
		Instant[] frozen = new Instant[1];
		CompletableFuture<Void> publishing = this.stream.publishAsync(1, EVENTS, (seq) -> {
			if (seq == EVENTS / 4) {
				rabbit.freeze();
				frozen[0] = Instant.now();
				return true;
			}
			return false;
		});
		await().atMost(RECOVERY).until(() -> frozen[0] != null);
		assertStarterHealthAnswersWithin(application, HEALTH_BOUND);
		List<Long> publishMillis = new ArrayList<>();
		for (int call = 0; call < 3; call++) {
			long start = System.nanoTime();
			Throwable refused = catchThrowable(
					() -> publisher.publish(Event.builder().type("fault").action("probe").build()));
			publishMillis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
			assertThat(refused).as("publish while the network is frozen").isNotNull();
		}
		await().atMost(Duration.ofMinutes(5)).until(() -> detected[0] != null);
		Duration detection = Duration.between(frozen[0], detected[0]);
		int handledBeforeThaw = handled(application).get().size();
		rabbit.thaw();
		Instant thawed = Instant.now();
		await().atMost(RECOVERY).until(() -> handled(application).get().size() > handledBeforeThaw);
		Duration consumingAgain = Duration.between(thawed, Instant.now());
		publishing.join();
		Outcome outcome = awaitAllHandled("network to the broker frozen (heartbeat " + heartbeat.toSeconds() + " s)",
				handled(application));
		System.out.println("fault-suite | frozen network: detected after " + detection.toMillis() + " ms (heartbeat "
				+ heartbeat.toSeconds() + " s), consuming again " + consumingAgain.toMillis()
				+ " ms after it thawed; publishes meanwhile failed after " + publishMillis + " ms");
		outcome.assertLostNoneAndDuplicatesAtMost(PREFETCH, UNACKNOWLEDGED,
				logNoise(output, "frozen-network", FREEZE_ERROR_LINES, FREEZE_STACK_TRACE_LINES));
		assertThat(detection).isLessThan(heartbeat.multipliedBy(3));
		// whether the publish found an open channel or needed a new one, whatever the
		// heartbeat
		assertThat(publishMillis).as("publish times while frozen (ms)")
			.allSatisfy((millis) -> assertThat(millis).isLessThan(confirmTimeout.plusSeconds(1).toMillis()));
	}

	/**
	 * The broker closes the application's connections every {@link #CHURN_INTERVAL} for
	 * {@link #CHURN} while events stream in at {@link #LOAD} per second: nothing lost,
	 * duplicates counted, and heap and thread count afterwards as before, within a margin
	 * (no connection, channel or thread leaks per reconnect). The baseline is taken after
	 * the first interval's events were handled.
	 */
	@Test
	void connectionsClosedEveryTenSeconds() {
		insertObserver();
		ConfigurableApplicationContext application = start();
		int events = (int) (LOAD * CHURN.toSeconds());
		int warmUp = (int) (LOAD * CHURN_INTERVAL.toSeconds());
		this.stream.publishAsync(1, warmUp, LOAD, (seq) -> false).join();
		await().atMost(RECOVERY).until(() -> handled(application).get().size() >= warmUp);
		long heapBefore = usedHeapAfterGc();
		int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
		CompletableFuture<Void> publishing = this.stream.publishAsync(warmUp + 1, events, LOAD, (seq) -> false);
		int closes = 0;
		while (!publishing.isDone()) {
			Instant roundStart = Instant.now();
			await().atMost(RECOVERY)
				.until(() -> this.namespace.broker().closeConnections(this.namespace.queuePrefix()) > 0);
			closes++;
			await().atMost(RECOVERY)
				.until(() -> publishing.isDone()
						|| Duration.between(roundStart, Instant.now()).compareTo(CHURN_INTERVAL) >= 0);
		}
		publishing.join();
		Outcome outcome = awaitAllHandled(
				"connections closed every " + CHURN_INTERVAL.toSeconds() + " s for " + CHURN.toSeconds() + " s", events,
				handled(application));
		await().atMost(RECOVERY)
			.until(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore + CHURN_THREAD_MARGIN);
		long heapAfter = usedHeapAfterGc();
		int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
		System.out.println("fault-suite | churn: " + closes + " closes under " + LOAD + " events/s; heap after GC "
				+ heapBefore / 1_048_576 + " MB -> " + heapAfter / 1_048_576 + " MB, threads " + threadsBefore + " -> "
				+ threadsAfter);
		outcome.assertLostNoneAndDuplicatesAtMost(PREFETCH * closes, UNACKNOWLEDGED + ", per close");
		assertThat(closes).as("times the connections were closed").isGreaterThanOrEqualTo(15);
		assertThat(heapAfter).as("heap after GC").isLessThan(heapBefore + CHURN_HEAP_MARGIN);
		assertThat(threadsAfter).as("threads").isLessThanOrEqualTo(threadsBefore + CHURN_THREAD_MARGIN);
	}

	private static long usedHeapAfterGc() {
		// twice: the first may leave what finalization or reference processing freed
		System.gc();
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * A process killed with SIGKILL (kill -9) while observers are created in a loop, each
	 * announced by an isimud model-watcher message as a Rails app sends it: after a
	 * restart the registered observers equal the enabled rows, and an event reaches each.
	 */
	@Test
	void killedDuringLiveRegistration() throws Exception {
		insertObserver();
		List<String> command = new ArrayList<>(
				List.of(new java.io.File(System.getProperty("java.home"), "bin/java").getPath(), "-cp",
						System.getProperty("java.class.path"), ObserverTestApplication.class.getName()));
		this.namespace.properties().forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--" + TestNamespace.NO_WEB_SERVER);
		java.io.File log = new java.io.File("target/fault-suite-kill-9.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		int created = 0;
		try {
			await().atMost(RECOVERY)
				.until(() -> this.namespace.broker()
					.queue(this.namespace.queuePrefix() + ".company." + this.observer)
					.map((queue) -> queue.consumers() == 1)
					.orElse(false));
			for (; created < 40; created++) {
				if (created == 20) {
					process.destroyForcibly();
				}
				this.namespace.sql("insert into company (name, active, routing_keys) values ('live" + created + "', "
						+ (created % 5 != 0) + ", 'fault.#')");
				long id = this.namespace.queryForLong("select max(id) from company");
				RawAmqp.publish(this.namespace.modelsExchange(), "test.Company.create",
						("{\"schema\":\"test\",\"type\":\"Company\",\"action\":\"create\",\"id\":" + id
								+ ",\"timestamp\":\"2026-12-01T00:00:00.000Z\",\"attributes\":{}}")
							.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			}
			assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		ConfigurableApplicationContext application = start();
		long enabled = this.namespace.queryForLong("select count(*) from company where active");
		ObserverRegistry registry = application.getBean(ObserverRegistry.class);
		assertThat(registry.registrations()).hasSize((int) enabled);
		this.stream.publish(1);
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		await().atMost(RECOVERY)
			.until(() -> handler.deliveries().stream().map(RecordingHandler.Delivery::companyId).distinct().count(),
					(count) -> count == enabled);
		List<Long> reached = handler.deliveries().stream().map(RecordingHandler.Delivery::companyId).toList();
		// each enabled observer numbered 1..enabled by its place among the rows: lost is
		// an enabled observer never reached, a duplicate one reached twice
		List<Long> enabledIds = this.namespace.queryForLongs("select id from company where active order by id");
		assertThat(reached).as("observers reached").allMatch(enabledIds::contains);
		Outcome outcome = NumberedStream.count("kill -9 during live registration (one event each)", (int) enabled,
				reached.stream().map((id) -> enabledIds.indexOf(id) + 1).toList());
		outcome.assertLostNoneAndDuplicatesAtMost(0, "the one event is published after the restart");
		System.out.println("fault-suite | kill -9: " + created + " rows created (20 before the kill), " + enabled
				+ " enabled, " + registry.registrations().size() + " registered after the restart");
	}

	private static void assertStarterHealthAnswersWithin(ConfigurableApplicationContext application, Duration bound) {
		application.getBeansOfType(HealthIndicator.class).forEach((name, indicator) -> {
			if (indicator.getClass().getPackageName().startsWith("io.eventlistener")) {
				long start = System.nanoTime();
				Health health = indicator.health();
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				System.out.println("fault-suite | health " + name + ": " + health.getStatus() + " in " + took.toMillis()
						+ " ms " + health.getDetails());
				assertThat(took).as("health indicator " + name).isLessThan(bound);
			}
		});
	}

	/**
	 * Count the ERROR and stack-trace lines of the case's output so far, and keep the
	 * output in {@code target/fault-suite-<name>.log} to read them.
	 */
	private static LogNoise logNoise(CapturedOutput output, String name, int maxErrorLines, int maxStackTraceLines) {
		String all = output.getAll();
		try {
			java.nio.file.Files.writeString(java.nio.file.Path.of("target", "fault-suite-" + name + ".log"), all);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return LogNoise.count(all, maxErrorLines, maxStackTraceLines);
	}

	private static void rabbitmqctl(String command) {
		try {
			for (String[] arguments : new String[][] { { "rabbitmqctl", command },
					{ "rabbitmqctl", "await_startup", "--timeout", "120" } }) {
				if (arguments[1].equals("await_startup") && !command.equals("start_app")) {
					continue;
				}
				Process process = new ProcessBuilder(arguments).inheritIO().start();
				if (!process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
					process.destroyForcibly();
					throw new IllegalStateException(String.join(" ", arguments) + " failed");
				}
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("rabbitmqctl " + command + " could not run", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of(FAST));
		all.addAll(List.of(properties));
		return this.namespace.start(ObserverTestApplication.class, all.toArray(String[]::new));
	}

	private void insertObserver() {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('c', true, 'fault.#')");
		this.observer = this.namespace.queryForLong("select id from company where name = 'c'");
	}

	private TcpProxy proxy(String host, int port) {
		TcpProxy proxy = new TcpProxy(host, port);
		this.closeables.add(proxy);
		return proxy;
	}

	private static Supplier<List<Integer>> handled(ConfigurableApplicationContext application) {
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		return handler::sequenceNumbers;
	}

	/**
	 * Wait until every event of the stream was handled, or {@link #RECOVERY} passed, and
	 * return the outcome either way: the caller's assertion that nothing was lost is what
	 * fails, with the count (waiting until nothing is lost and then asserting it could
	 * not fail).
	 */
	private static Outcome awaitAllHandled(String fault, Supplier<List<Integer>> handled) {
		return awaitAllHandled(fault, EVENTS, handled);
	}

	private static Outcome awaitAllHandled(String fault, int events, Supplier<List<Integer>> handled) {
		try {
			await().atMost(RECOVERY)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> NumberedStream.count(fault, events, handled.get()).lost() == 0);
		}
		catch (ConditionTimeoutException ex) {
			// reported below, by the caller's assertion on lost()
		}
		return NumberedStream.count(fault, events, handled.get());
	}

	private static List<Integer> concat(List<Integer> first, List<Integer> second) {
		List<Integer> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private static List<Integer> drain(RabbitTemplate template, String queue) {
		List<Integer> sequenceNumbers = new ArrayList<>();
		EventCodec codec = new EventCodec();
		Message message;
		while ((message = template.receive(queue, 1000)) != null) {
			sequenceNumbers.add((Integer) codec.read(message.getBody()).parameters().get("seq"));
		}
		return sequenceNumbers;
	}

}
