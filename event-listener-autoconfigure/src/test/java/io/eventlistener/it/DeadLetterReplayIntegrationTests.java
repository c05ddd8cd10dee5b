package io.eventlistener.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
				"management.endpoints.web.exposure.include=eventlistenerdeadletters");
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
