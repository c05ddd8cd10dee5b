package io.eventlistener.it;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.GetResponse;
import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.it.ObserverTestApplication.AuditQueue;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who published a message, as a raw RabbitMQ client sees it: events (sent at once and
 * through the outbox) and model-watcher messages carry the application's name as
 * {@code app_id} and the publication time as {@code timestamp}; a delivered event exposes
 * the {@code app_id} as its publisher id, and isimud's messages, which carry no
 * properties, decode with none.
 */
class PublisherIdentityIntegrationTests {

	private static TestNamespace namespace;

	private static ConfigurableApplicationContext application;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(Company.DDL);
		application = namespace.start(ObserverTestApplication.class, "spring.application.name=billing-test");
	}

	@AfterAll
	static void stop() {
		if (application != null) {
			application.close();
		}
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void eventsAndModelChangesCarryTheApplicationNameAndTheTimestamp() {
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
			application.getBean(CompanyRepository.class).save(new Company("identified", true, List.of("audit.x")));
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
			assertThat(message.getProps().getAppId()).isEqualTo("billing-test");
			assertThat(message.getProps().getTimestamp()).isNotNull();
			assertThat(message.getProps().getTimestamp().toInstant()).isBetween(before, after);
		});
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
			.isEqualTo("billing-test");
		assertThat(audit.events).filteredOn((event) -> event.routingKey().equals("audit.isimud"))
			.singleElement()
			.satisfies((event) -> {
				assertThat(event.publisherId()).isNull();
				assertThat(event.eventfulType()).isEqualTo("User");
			});
	}

	private static void drain(String queue, List<GetResponse> into) {
		for (GetResponse message = RawAmqp.get(queue); message != null; message = RawAmqp.get(queue)) {
			into.add(message);
		}
	}

	private static byte[] fixture(String name) throws IOException {
		try (InputStream in = PublisherIdentityIntegrationTests.class.getResourceAsStream("/wire/" + name)) {
			return in.readAllBytes();
		}
	}

}
