package io.eventlistener.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.it.ObserverTestApplication.AuditQueue;
import io.eventlistener.testsupport.BrokerManagement;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start-up against the real RabbitMQ and PostgreSQL: with three enabled and one disabled
 * observer row, exactly three queues exist with exactly their bindings, and events reach
 * exactly the observers whose patterns match, once each.
 */
class ObserverStartupIntegrationTests {

	private static final String DONE = "test.done";

	private static TestNamespace namespace;

	private static ConfigurableApplicationContext application;

	private static long starObserver;

	private static long hashObserver;

	private static long exactObserver;

	private static long disabledObserver;

	@BeforeAll
	static void startWithFourObserverRows() {
		namespace = TestNamespace.create(Company.DDL);
		starObserver = insert("star", true, "model.User.*.create," + DONE);
		hashObserver = insert("hash", true, "model.Invoice.#," + DONE);
		exactObserver = insert("exact", true, "model.User.7.destroy," + DONE);
		disabledObserver = insert("disabled", false, "#");
		application = namespace.start(ObserverTestApplication.class);
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void declaresOneQueuePerEnabledObserverWithExactlyItsBindings() {
		BrokerManagement broker = namespace.broker();
		String prefix = namespace.queuePrefix() + ".company.";
		assertThat(broker.queueNames(prefix)).containsExactlyInAnyOrder(prefix + starObserver, prefix + hashObserver,
				prefix + exactObserver);
		assertThat(broker.bindings(prefix + starObserver, namespace.eventsExchange()))
			.isEqualTo(Set.of("model.User.*.create", DONE));
		assertThat(broker.bindings(prefix + hashObserver, namespace.eventsExchange()))
			.isEqualTo(Set.of("model.Invoice.#", DONE));
		assertThat(broker.bindings(prefix + exactObserver, namespace.eventsExchange()))
			.isEqualTo(Set.of("model.User.7.destroy", DONE));
		assertThat(broker.queue(prefix + disabledObserver)).isEmpty();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> List.of(starObserver, hashObserver, exactObserver)
				.forEach((id) -> assertThat(broker.queue(prefix + id).orElseThrow().consumers()).isEqualTo(1)));
	}

	@Test
	void deliversEachEventToExactlyTheMatchingObserversOnce() {
		EventPublisher publisher = application.getBean(EventPublisher.class);
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		publisher.publish(Event.builder().eventful("User", 7).action("create").build());
		publisher.publish(Event.builder().eventful("User", 7).action("destroy").build());
		publisher.publish(Event.builder().eventful("Invoice", 3).action("paid").build());
		publisher.publish(Event.builder().eventful("Order", 1).action("create").build());
		publisher.publish(Event.builder().type("test").action("done").build());

		// each queue is consumed in order, so once "done" arrived everywhere, all earlier
		// events have too
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> List.of(starObserver, hashObserver, exactObserver)
				.forEach((id) -> assertThat(handler.routingKeysFor(id)).contains(DONE)));
		assertThat(handler.routingKeysFor(starObserver)).containsExactly("model.User.7.create", DONE);
		assertThat(handler.routingKeysFor(hashObserver)).containsExactly("model.Invoice.3.paid", DONE);
		assertThat(handler.routingKeysFor(exactObserver)).containsExactly("model.User.7.destroy", DONE);
		assertThat(handler.routingKeysFor(disabledObserver)).isEmpty();
		assertThat(handler.deliveries()).noneMatch((delivery) -> delivery.event().routingKey().contains("Order"));
	}

	@Test
	void applicationQueueReceivesItsEvents() {
		EventPublisher publisher = application.getBean(EventPublisher.class);
		publisher.publish(Event.builder().type("audit").action("login").userId(5).build());
		AuditQueue audit = application.getBean(AuditQueue.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> !audit.events.isEmpty());
		assertThat(audit.events).singleElement().satisfies((event) -> {
			assertThat(event.routingKey()).isEqualTo("audit.login");
			assertThat(event.userId()).isEqualTo("5");
		});
	}

	private static long insert(String name, boolean active, String routingKeys) {
		namespace.sql("insert into company (name, active, routing_keys) values ('" + name + "', " + active + ", '"
				+ routingKeys + "')");
		return namespace.queryForLong("select id from company where name = '" + name + "'");
	}

}
