package io.eventlistener.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.eventlistener.actuate.DeadLetterEndpoint;
import io.eventlistener.replay.DeadLetterReplayer;
import io.eventlistener.replay.ReplayFilter;
import io.eventlistener.replay.ReplayResult;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.NumberedStream;
import io.eventlistener.testsupport.NumberedStream.Outcome;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters go back where they failed once the cause is fixed: to their own observer's
 * queue only (the other observers bound to the same exchange see no duplicate), filtered
 * by observer and age, counted, and none lost when the replay is interrupted midway (its
 * connection closed through the management API).
 */
class DeadLetterReplayIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private final TcpProxy rabbit = new TcpProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);

	private final NumberedStream stream = new NumberedStream(this.namespace.eventsExchange());

	private ConfigurableApplicationContext application;

	private RecordingHandler handler;

	private long failing;

	private long healthy;

	@AfterEach
	void stop() {
		this.stream.close();
		this.namespace.close();
		this.rabbit.close();
	}

	@Test
	void replaysOnlyTheFilteredObserversDeadLettersToItsOwnQueue() {
		int events = 50;
		deadLetter(events);
		DeadLetterReplayer replayer = this.application.getBean(DeadLetterReplayer.class);

		ReplayResult tooOld = replayer.replay(new ReplayFilter(null, null, Instant.now().minusSeconds(3600), null));
		assertThat(tooOld).isEqualTo(new ReplayResult(0, events, 0, null));
		ReplayResult otherObserver = replayer.replay(new ReplayFilter(null, "Company#" + this.healthy, null, null));
		assertThat(otherObserver).isEqualTo(new ReplayResult(0, events, 0, null));

		ReplayResult replayed = replayer.replay(new ReplayFilter("Company", "Company#" + this.failing, null, null));

		assertThat(replayed).isEqualTo(new ReplayResult(events, 0, 0, null));
		await().atMost(WAIT).until(() -> sequenceNumbersOf(this.failing).size() == events);
		assertThat(NumberedStream.count("", events, sequenceNumbersOf(this.failing)).lost()).isZero();
		// sent straight to the observer's queue, each keeps the routing key it was
		// published with, not the queue's name
		assertThat(this.handler.routingKeysFor(this.failing)).hasSize(events).containsOnly(NumberedStream.ROUTING_KEY);
		assertThat(sequenceNumbersOf(this.healthy)).as("the other observer's events").hasSize(events);
		assertThat(replayer.count()).isZero();
	}

	@Test
	void replayInterruptedMidwayLosesNothing() throws Exception {
		int events = 1000;
		deadLetter(events);
		DeadLetterEndpoint endpoint = this.application.getBean(DeadLetterEndpoint.class);
		assertThat(endpoint.deadLetters()).containsEntry("waiting", (long) events);

		CompletableFuture<ReplayResult> replaying = CompletableFuture
			.supplyAsync(() -> endpoint.replay(null, null, null, null, null));
		await().atMost(WAIT).until(() -> sequenceNumbersOf(this.failing).size() >= 50);
		await().atMost(WAIT)
			.until(() -> this.namespace.broker()
				.closeConnections(this.namespace.queuePrefix() + ".dead-letter-replay") > 0 || replaying.isDone());
		ReplayResult interrupted = replaying.join();
		assertThat(interrupted.interruption()).as("the replay was interrupted").isNotNull();
		assertThat(interrupted.moved()).isLessThan(events);

		ReplayResult rest = endpoint.replay(null, null, null, null, null);

		assertThat(rest.interruption()).isNull();
		assertThat(rest.failed()).isZero();
		Outcome outcome = awaitAllHandled("dead letters replayed, interrupted midway", events);
		outcome.assertLostNoneAndDuplicatesAtMost(1, "one message at a time is between its confirm and its removal: "
				+ "only it can be in both queues when the connection closes");
		// that one may count as moved twice (confirmed, its removal lost, moved again),
		// or once
		assertThat(interrupted.moved() + rest.moved()).isBetween(events - 1, events + 1);
		assertThat(endpoint.deadLetters()).containsEntry("waiting", 0L);
		System.out.println("dead-letter replay | first run " + interrupted + ", second run " + rest);
	}

	@Test
	void aForgedDeadLetterIsNotReplayedWhereItsHeadersSay() throws Exception {
		this.application = this.namespace.start(ObserverTestApplication.class, "event-listener.retry.mode=never");
		DeadLetterReplayer replayer = this.application.getBean(DeadLetterReplayer.class);
		String deadLetters = this.namespace.queuePrefix() + ".dead-letter";
		String foreign = this.namespace.queuePrefix() + "-other-app.inbox";
		// under our prefix, but no observer of ours
		String unregistered = this.namespace.queuePrefix() + ".company.999999";
		try (Connection connection = rawConnection(); Channel channel = connection.createChannel()) {
			channel.queueDeclare(foreign, false, false, true, null);
			channel.queueDeclare(unregistered, false, false, true, null);
			channel.exchangeDeclare(this.namespace.queuePrefix() + "-other-app.events", "fanout", false, true, null);
			channel.queueBind(foreign, this.namespace.queuePrefix() + "-other-app.events", "");
			// published straight into the dead-letter queue, as anyone on the virtual
			// host
			// can
			forge(channel, deadLetters, Map.of("x-event-listener-queue", foreign));
			forge(channel, deadLetters, Map.of("x-event-listener-queue", unregistered));
			forge(channel, deadLetters, Map.of("x-original-exchange",
					this.namespace.queuePrefix() + "-other-app.events", "x-original-routingKey", "anything"));
			await().atMost(WAIT).until(() -> replayer.count() == 3);

			ReplayResult observerQueues = replayer.replay(new ReplayFilter(null, null, null, null));
			ReplayResult originalExchange = replayer.replay(new ReplayFilter(null, null, null, null),
					DeadLetterReplayer.Target.ORIGINAL_EXCHANGE);

			assertThat(channel.queueDeclarePassive(foreign).getMessageCount()).isZero();
			assertThat(channel.queueDeclarePassive(unregistered).getMessageCount()).isZero();
			assertThat(observerQueues.moved()).isZero();
			assertThat(originalExchange.moved()).isZero();
			assertThat(observerQueues.refused()).isEqualTo(3);
			assertThat(originalExchange.refused()).isEqualTo(3);
			assertThat(replayer.count()).as("left in the dead-letter queue").isEqualTo(3);
		}
	}

	private static void forge(Channel channel, String deadLetters, Map<String, Object> headers) throws IOException {
		Map<String, Object> all = new HashMap<>(headers);
		all.put("x-event-listener-observer", "Company#1");
		channel.basicPublish("", deadLetters, new AMQP.BasicProperties.Builder().headers(all).build(),
				"{\"forged\":true}".getBytes(StandardCharsets.UTF_8));
	}

	private static Connection rawConnection() throws IOException, TimeoutException {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServices.RABBIT_HOST);
		factory.setPort(LocalServices.RABBIT_PORT);
		return factory.newConnection("raw-forger");
	}

	/**
	 * Two observers bound to the stream; one fails on every event, so its copies end in
	 * the dead-letter queue; then its handler is fixed.
	 */
	private void deadLetter(int events) {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('failing', true, 'fault.#')",
				"insert into company (name, active, routing_keys) values ('healthy', true, 'fault.#')");
		this.failing = this.namespace.queryForLong("select id from company where name = 'failing'");
		this.healthy = this.namespace.queryForLong("select id from company where name = 'healthy'");
		this.application = this.namespace.start(ObserverTestApplication.class,
				"spring.rabbitmq.port=" + this.rabbit.port(), "event-listener.retry.mode=never",
				"event-listener.error.limit=100000",
				"management.endpoints.web.exposure.include=eventlistenerdeadletters",
				"management.endpoint.eventlistenerdeadletters.access=unrestricted");
		this.handler = this.application.getBean(RecordingHandler.class);
		this.handler.failFor(this.failing);
		this.stream.publishAsync(1, events, (seq) -> false).join();
		DeadLetterReplayer replayer = this.application.getBean(DeadLetterReplayer.class);
		await().atMost(WAIT).until(() -> replayer.count() == events);
		assertThat(sequenceNumbersOf(this.healthy)).hasSize(events);
		this.handler.failing().clear();
	}

	private Outcome awaitAllHandled(String fault, int events) {
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> NumberedStream.count(fault, events, sequenceNumbersOf(this.failing)).lost() == 0);
		return NumberedStream.count(fault, events, sequenceNumbersOf(this.failing));
	}

	private List<Integer> sequenceNumbersOf(long company) {
		return this.handler.deliveries()
			.stream()
			.filter((delivery) -> delivery.companyId() == company)
			.map((delivery) -> (Integer) delivery.event().parameters().get("seq"))
			.toList();
	}

}
