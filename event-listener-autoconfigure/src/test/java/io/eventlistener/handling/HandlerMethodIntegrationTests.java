package io.eventlistener.handling;

import java.time.Duration;
import java.util.Objects;

import io.eventlistener.Event;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.handling.HandlerMethodApplication.AccountEvents;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An annotated handler method takes the same path as an {@code EventHandler} bean: its
 * attributes filter, its returned outcome requeues or rejects.
 */
class HandlerMethodIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Account.DDL,
			"insert into account (id, routing_keys) values (1, 'model.User.#')");

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void methodHandlesWhatItsAttributesLetThroughAndItsOutcomeDecides() {
		ConfigurableApplicationContext application = this.namespace.start(HandlerMethodApplication.class,
				"event-listener.requeue.initial-interval=50ms", "event-listener.retry.max-attempts=3");
		publish("model.User.1.create", "{\"plan\":\"gold\"}");
		publish("model.User.2.destroy", "{\"plan\":\"gold\"}");
		publish("model.User.3.update", "{\"plan\":\"silver\"}");
		publish("model.User.4.update", "{\"plan\":\"gold\",\"requeueOnce\":true}");
		publish("model.User.5.create", "{\"plan\":\"gold\",\"reject\":true}");

		AccountEvents handler = application.getBean(AccountEvents.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> handler.handled.size() == 2);
		assertThat(handler.handled).extracting(Event::routingKey)
			.containsExactlyInAnyOrder("model.User.1.create", "model.User.4.update");
		assertThat(handler.calls.get("model.User.4.update")).hasValue(2);
		assertThat(handler.calls).doesNotContainKeys("model.User.2.destroy", "model.User.3.update");

		RabbitTemplate template = application.getBean(RabbitTemplate.class);
		Message dead = await().atMost(Duration.ofSeconds(20))
			.until(() -> template.receive(this.namespace.queuePrefix() + ".dead-letter"), Objects::nonNull);
		assertThat(dead.getMessageProperties().getReceivedRoutingKey()).isEqualTo("model.User.5.create");
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 1);
		assertThat((String) dead.getMessageProperties().getHeader(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE))
			.contains("returned REJECT");
		assertThat(handler.calls.get("model.User.5.create")).hasValue(1);

		MeterRegistry meters = application.getBean(MeterRegistry.class);
		assertThat(count(meters, EventListenerMeters.FILTERED)).isEqualTo(2);
		assertThat(count(meters, EventListenerMeters.REQUEUED)).isEqualTo(1);
		assertThat(count(meters, EventListenerMeters.REJECTED)).isEqualTo(1);
	}

	private void publish(String routingKey, String parameters) {
		RawAmqp.publish(this.namespace.eventsExchange(), routingKey, IsimudEvents.body(routingKey, parameters));
	}

	private static double count(MeterRegistry meters, String outcome) {
		return IsimudEvents.count(meters, outcome);
	}

}
