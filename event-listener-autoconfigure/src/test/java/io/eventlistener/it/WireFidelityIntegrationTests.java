package io.eventlistener.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.it.ObserverTestApplication.AuditQueue;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the outside world sees and sends: a raw RabbitMQ client publishes isimud's exact
 * bytes (no content type, no message id) and bodies that are not events, and reads the
 * dead letters and the messages this library publishes as any other client would.
 */
@ExtendWith(OutputCaptureExtension.class)
class WireFidelityIntegrationTests {

	private static TestNamespace namespace;

	private static ConfigurableApplicationContext application;

	private static long observer;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(Company.DDL);
		namespace.sql("insert into company (name, active, routing_keys) values ('c', true, "
				+ "'model.Invoice.#,model.User.*.create')");
		observer = namespace.queryForLong("select id from company where name = 'c'");
		application = namespace.start(ObserverTestApplication.class, "event-listener.retry.max-attempts=1",
				"spring.application.name=wire-test");
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void anIsimudEventIsHandledWithTheRoutingKeyItWasDeliveredWith() throws IOException {
		RawAmqp.publish(namespace.eventsExchange(), "model.Invoice.78.create", fixture("isimud-event.json"));
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> handler.routingKeysFor(observer).contains("model.Invoice.78.create"));
		Event event = handler.deliveries()
			.stream()
			.filter((delivery) -> delivery.event().routingKey().equals("model.Invoice.78.create"))
			.findFirst()
			.orElseThrow()
			.event();
		assertThat(event.eventfulType()).isEqualTo("User");
		assertThat(event.eventfulId()).isEqualTo("42");
	}

	@Test
	void aDeliveredEventNamesItsPublisherAndAnIsimudEventNone() throws IOException {
		AuditQueue audit = application.getBean(AuditQueue.class);
		application.getBean(EventPublisher.class).publish(Event.builder().type("audit").action("ours").build());
		// isimud's exact bytes, no properties at all
		RawAmqp.publish(namespace.eventsExchange(), "audit.isimud", fixture("isimud-event.json"));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> audit.events.stream()
				.map(Event::routingKey)
				.toList()
				.containsAll(List.of("audit.ours", "audit.isimud")));
		assertThat(audit.events).filteredOn((event) -> event.routingKey().equals("audit.ours"))
			.singleElement()
			.extracting(Event::publisherId)
			.isEqualTo("wire-test");
		assertThat(audit.events).filteredOn((event) -> event.routingKey().equals("audit.isimud"))
			.singleElement()
			.satisfies((event) -> {
				assertThat(event.publisherId()).isNull();
				assertThat(event.eventfulType()).isEqualTo("User");
			});
	}

	@Test
	void bodiesThatAreNotEventsAreDeadLetteredAtOnceWithTheirHistoryAndNeverHandled(CapturedOutput output) {
		Map<String, String> bodies = new LinkedHashMap<>();
		bodies.put("model.Invoice.1.create", "{\"foo\":1}");
		bodies.put("model.Invoice.2.create", "{}");
		bodies.put("model.Invoice.3.create", "{\"type\":5,\"action\":\"create\"}");
		bodies.put("model.Invoice.4.create", "{\"type\":\"model\",\"eventful_id\":true}");
		bodies.put("model.Invoice.5.create", "[1,2]");
		bodies.put("model.Invoice.6.create", "{nope");
		double malformedBefore = malformed();

		bodies.forEach(
				(key, body) -> RawAmqp.publish(namespace.eventsExchange(), key, body.getBytes(StandardCharsets.UTF_8)));

		Map<String, GetResponse> dead = deadLetters(bodies.size());
		assertThat(dead).containsOnlyKeys(bodies.keySet());
		dead.forEach((key, letter) -> {
			assertThat(new String(letter.getBody(), StandardCharsets.UTF_8)).isEqualTo(bodies.get(key));
			assertThat(letter.getProps().getMessageId()).isNull();
			Map<String, Object> headers = letter.getProps().getHeaders();
			assertThat(headers).containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 1);
			assertThat(text(headers)).containsEntry(DeadLetterRecoverer.OBSERVER_HEADER, "Company#" + observer)
				.containsEntry(DeadLetterRecoverer.QUEUE_HEADER, observerQueue())
				.containsEntry(RepublishMessageRecoverer.X_ORIGINAL_ROUTING_KEY, key)
				.containsEntry(RepublishMessageRecoverer.X_ORIGINAL_EXCHANGE, namespace.eventsExchange());
			assertThat(String.valueOf(headers.get(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE)))
				.contains("Rejected malformed event");
			// no stack trace unless event-listener.dead-letter.include-stack-trace
			assertThat(headers).doesNotContainKey(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE);
			assertNoSpringHeaders(headers);
		});
		assertThat(application.getBean(RecordingHandler.class).deliveries())
			.noneMatch((delivery) -> bodies.containsKey(delivery.event().routingKey()));
		await().atMost(Duration.ofSeconds(10)).until(() -> malformed() == malformedBefore + bodies.size());
		assertThat(output).contains("Dead-lettered delivery tag ").doesNotContain("delivery null");
	}

	@Test
	void aBodyOverTheLimitIsDeadLetteredAsMalformedAndCounted() {
		// a well-formed event, one padding parameter past the 1 MB default
		String body = "{\"type\":\"model\",\"action\":\"create\",\"parameters\":{\"pad\":\"" + "x".repeat(1024 * 1024)
				+ "\"}}";
		double malformedBefore = malformed();

		RawAmqp.publish(namespace.eventsExchange(), "model.Invoice.1048577.create",
				body.getBytes(StandardCharsets.UTF_8));

		GetResponse dead = deadLetters(1).get("model.Invoice.1048577.create");
		assertThat(dead).isNotNull();
		assertThat(String.valueOf(dead.getProps().getHeaders().get(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE)))
			.contains("Rejected malformed event")
			.contains("exceeds the limit of 1048576");
		await().atMost(Duration.ofSeconds(10)).until(() -> malformed() == malformedBefore + 1);
		assertThat(application.getBean(RecordingHandler.class).deliveries())
			.noneMatch((delivery) -> delivery.event().routingKey().equals("model.Invoice.1048577.create"));
	}

	@Test
	void aRoutingKeyWithControlCharactersIsLoggedEscaped(CapturedOutput output) {
		// CR, LF, NUL and an ANSI colour escape: a forged log line, a cut line and a
		// terminal command, if printed as sent
		String routingKey = "model.Invoice.7.create\r\nFORGED ERROR line\u0000\u001B[31mred";

		RawAmqp.publish(namespace.eventsExchange(), routingKey, "{nope".getBytes(StandardCharsets.UTF_8));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> output.getOut()
				.contains("model.Invoice.7.create\\r\\nFORGED ERROR line\\u0000\\u001B[31mred"));
		assertThat(output.getOut()).doesNotContain("\nFORGED ERROR line")
			.doesNotContain("\u0000")
			.doesNotContain("\u001B[31mred");
	}

	@Test
	void aHandlerFailureIsDeadLetteredWithItsCauseButNoStackTraceAndNoHeaderThePublisherPreset() {
		// a publisher presets the starter's own headers: an attempt count that would
		// overflow, another observer, another queue
		Map<String, Object> forged = new LinkedHashMap<>();
		forged.put(DeadLetterRecoverer.ATTEMPTS_HEADER, Integer.MAX_VALUE);
		forged.put(DeadLetterRecoverer.OBSERVER_HEADER, "Company#999999");
		forged.put(DeadLetterRecoverer.QUEUE_HEADER, "someone-else.inbox");
		forged.put(DeadLetterRecoverer.REQUEUES_HEADER, 1_000);
		RawAmqp.publish(namespace.eventsExchange(), "model.Invoice.99.create",
				"{\"type\":\"model\",\"action\":\"create\",\"parameters\":{\"poison\":true}}"
					.getBytes(StandardCharsets.UTF_8),
				new AMQP.BasicProperties.Builder().headers(forged).build());
		GetResponse dead = deadLetters(1).get("model.Invoice.99.create");
		Map<String, Object> headers = dead.getProps().getHeaders();
		// Spring AMQP's default, and ours unless
		// event-listener.dead-letter.include-stack-trace
		assertThat(headers).doesNotContainKey(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE);
		assertThat(String.valueOf(headers.get(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE)))
			.contains("handler failure for company " + observer);
		assertThat(text(headers))
			.containsEntry(RepublishMessageRecoverer.X_ORIGINAL_ROUTING_KEY, "model.Invoice.99.create")
			.containsEntry(DeadLetterRecoverer.OBSERVER_HEADER, "Company#" + observer)
			.containsEntry(DeadLetterRecoverer.QUEUE_HEADER, observerQueue())
			.containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, "1")
			.doesNotContainKey(DeadLetterRecoverer.REQUEUES_HEADER);
		assertNoSpringHeaders(headers);
	}

	@Test
	void publishedEventsAndModelWatcherMessagesNameTheirPublisherAndCarryNoSpringHeaders() {
		String events = namespace.queuePrefix() + ".tap.events";
		String models = namespace.queuePrefix() + ".tap.models";
		RawAmqp.tap(events, namespace.eventsExchange());
		RawAmqp.tap(models, namespace.modelsExchange());
		EventPublisher publisher = application.getBean(EventPublisher.class);
		// AMQP timestamps are whole seconds
		Instant before = Instant.now().minusSeconds(1);

		publisher.publish(Event.builder().type("audit").action("now").build());
		application.getBean(TransactionTemplate.class).executeWithoutResult((status) -> {
			publisher.publish(Event.builder().type("audit").action("committed").build());
			application.getBean(CompanyRepository.class).save(new Company("tapped", true, List.of("audit.x")));
		});

		List<GetResponse> sent = new ArrayList<>();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			drain(events, sent);
			drain(models, sent);
			return sent.size() >= 3;
		});
		assertThat(sent).extracting((message) -> message.getEnvelope().getRoutingKey())
			.contains("audit.now", "audit.committed")
			.anyMatch((key) -> key.endsWith(".Company.create"));
		Instant after = Instant.now().plusSeconds(1);
		assertThat(sent).allSatisfy((message) -> {
			assertThat(message.getProps().getMessageId()).isNotBlank();
			assertNoSpringHeaders(message.getProps().getHeaders());
			// sent at once, through the outbox, by the model watcher: all name their
			// publisher and when they were published
			assertThat(message.getProps().getAppId()).isEqualTo("wire-test");
			assertThat(message.getProps().getTimestamp()).isNotNull();
			assertThat(message.getProps().getTimestamp().toInstant()).isBetween(before, after);
		});
	}

	/**
	 * Header values as text: the raw client gives strings as {@code LongString}.
	 */
	private static Map<String, String> text(Map<String, Object> headers) {
		Map<String, String> text = new LinkedHashMap<>();
		headers.forEach((name, value) -> text.put(name, String.valueOf(value)));
		return text;
	}

	private static void drain(String queue, List<GetResponse> into) {
		for (GetResponse message = RawAmqp.get(queue); message != null; message = RawAmqp.get(queue)) {
			into.add(message);
		}
	}

	private static void assertNoSpringHeaders(Map<String, Object> headers) {
		if (headers != null) {
			assertThat(headers.keySet()).noneMatch((name) -> name.startsWith("spring_"));
		}
	}

	/**
	 * Read dead letters with a raw client until {@code count} have arrived, by their
	 * original routing key.
	 */
	private static Map<String, GetResponse> deadLetters(int count) {
		Map<String, GetResponse> dead = new LinkedHashMap<>();
		String queue = namespace.queuePrefix() + ".dead-letter";
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			for (GetResponse letter = RawAmqp.get(queue); letter != null; letter = RawAmqp.get(queue)) {
				dead.put(letter.getEnvelope().getRoutingKey(), letter);
			}
			return dead.size() >= count;
		});
		return dead;
	}

	private static double malformed() {
		Counter counter = application.getBean(MeterRegistry.class)
			.find(EventListenerMeters.EVENTS)
			.tags(EventListenerMeters.TYPE, "Company", EventListenerMeters.OUTCOME, EventListenerMeters.MALFORMED)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String observerQueue() {
		return namespace.queuePrefix() + ".company." + observer;
	}

	private static byte[] fixture(String name) throws IOException {
		try (InputStream in = WireFidelityIntegrationTests.class.getResourceAsStream("/wire/" + name)) {
			return in.readAllBytes();
		}
	}

}
