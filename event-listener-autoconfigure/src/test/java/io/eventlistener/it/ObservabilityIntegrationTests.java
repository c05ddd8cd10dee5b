package io.eventlistener.it;

import java.time.Duration;
import java.util.List;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.actuate.EventListenerEndpoint.ObserverDescriptor;
import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.watch.ModelWatcherSubscription;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters, health and the {@code eventlistener} endpoint against the real RabbitMQ and
 * PostgreSQL: each reports what the registry holds and what the handlers did (one attempt
 * per delivery, so a failure is dead-lettered at once).
 */
class ObservabilityIntegrationTests {

	private static TestNamespace namespace;

	private static ConfigurableApplicationContext application;

	private static long healthy;

	private static long failing;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(Company.DDL);
		healthy = insert("healthy", true, "model.User.*.create,model.Invoice.#");
		failing = insert("failing", true, "model.User.*.create");
		insert("disabled", false, "#");
		application = namespace.start(ObserverTestApplication.class,
				"management.endpoints.web.exposure.include=health,eventlistener",
				"event-listener.retry.max-attempts=1");
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void observerGaugeIsTheRegistrysCount() {
		MeterRegistry meters = application.getBean(MeterRegistry.class);
		assertThat(meters.get(EventListenerMeters.OBSERVERS).tag(EventListenerMeters.TYPE, "Company").gauge().value())
			.isEqualTo(2)
			.isEqualTo(application.getBean(ObserverRegistry.class).registrations().size());
	}

	@Test
	void handledFailedAndDeadLetteredDeliveriesAreCountedAndTimed() {
		MeterRegistry meters = application.getBean(MeterRegistry.class);
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		handler.failFor(failing);
		double handledBefore = count(meters, EventListenerMeters.HANDLED);
		double failedBefore = count(meters, EventListenerMeters.FAILED);
		double deadLetteredBefore = count(meters, EventListenerMeters.DEAD_LETTERED);

		application.getBean(EventPublisher.class).publish(Event.builder().eventful("User", 9).action("create").build());

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(count(meters, EventListenerMeters.HANDLED)).isEqualTo(handledBefore + 1);
			assertThat(count(meters, EventListenerMeters.FAILED)).isEqualTo(failedBefore + 1);
			assertThat(count(meters, EventListenerMeters.DEAD_LETTERED)).isEqualTo(deadLetteredBefore + 1);
		});
		assertThat(meters.get(EventListenerMeters.HANDLER_DURATION)
			.tags(EventListenerMeters.TYPE, "Company", EventListenerMeters.OUTCOME, EventListenerMeters.HANDLED)
			.timer()
			.count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void healthIsUpWithTheStateAndObserverCount() {
		Health health = application.getBean(EventListenerHealthIndicator.class).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", ListenerState.RUNNING).containsEntry("observers", 2);
		assertThat(health.getDetails().get("watcherQueue")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("bound", true)
			.containsEntry("consumers", 1)
			.containsEntry("name", application.getBean(ModelWatcherSubscription.class).queue().name());
	}

	@Test
	void endpointListsObserversWithQueuesAndRoutingKeys() {
		EventListenerEndpoint.ListenerDescriptor listener = application.getBean(EventListenerEndpoint.class).listener();
		assertThat(listener.state()).isEqualTo(ListenerState.RUNNING);
		assertThat(listener.observers()).containsOnlyKeys("Company");
		String prefix = namespace.queuePrefix() + ".company.";
		assertThat(listener.observers().get("Company").count()).isEqualTo(2);
		assertThat(listener.observers().get("Company").observers()).containsExactlyInAnyOrder(
				new ObserverDescriptor(String.valueOf(healthy), prefix + healthy, namespace.eventsExchange(),
						List.of("model.Invoice.#", "model.User.*.create")),
				new ObserverDescriptor(String.valueOf(failing), prefix + failing, namespace.eventsExchange(),
						List.of("model.User.*.create")));
		assertThat(application.getBean(EventListenerEndpoint.class).observerType("Nope")).isNull();
	}

	private static double count(MeterRegistry meters, String outcome) {
		var counter = meters.find(EventListenerMeters.EVENTS)
			.tags(EventListenerMeters.TYPE, "Company", EventListenerMeters.OUTCOME, outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static long insert(String name, boolean active, String routingKeys) {
		namespace.sql("insert into company (name, active, routing_keys) values ('" + name + "', " + active + ", '"
				+ routingKeys + "')");
		return namespace.queryForLong("select id from company where name = '" + name + "'");
	}

}
