package io.eventlistener.handling;

import java.time.Duration;

import com.rabbitmq.client.AMQP;
import io.eventlistener.Event;
import io.eventlistener.handling.FilterApplication.GoldPlanHandler;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler's filter, against a raw client publishing isimud's bytes: deliveries it does
 * not want are acknowledged without calling it, and counted.
 */
class EventFilterIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Account.DDL,
			"insert into account (id, routing_keys) values (1, 'model.User.#')");

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void onlyMatchingDeliveriesReachTheHandlerAndTheOthersAreAcknowledgedAndCounted() {
		ConfigurableApplicationContext application = this.namespace.start(FilterApplication.class);
		publish("model.User.1.create", "gold", "billing");
		publish("model.User.2.destroy", "gold", "billing");
		publish("model.User.3.create", "silver", "billing");
		// isimud's exact bytes: no app_id at all
		publish("model.User.4.create", "gold", null);
		publish("model.User.5.update", "gold", "shop");
		publish("model.User.6.update", "gold", "billing");

		GoldPlanHandler handler = application.getBean(GoldPlanHandler.class);
		MeterRegistry meters = application.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> count(meters, EventListenerMeters.FILTERED) == 4);
		await().atMost(Duration.ofSeconds(20)).until(() -> handler.handled.size() == 2);
		assertThat(handler.handled).extracting(Event::routingKey)
			.containsExactlyInAnyOrder("model.User.1.create", "model.User.6.update");
		assertThat(count(meters, EventListenerMeters.HANDLED)).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.namespace.broker().queue(this.namespace.queuePrefix() + ".account.1").orElseThrow(),
					(queue) -> queue.messages() == 0);
		assertThat(application.getBean(RabbitTemplate.class).receive(this.namespace.queuePrefix() + ".dead-letter"))
			.isNull();
	}

	private void publish(String routingKey, String plan, @Nullable String appId) {
		RawAmqp.publish(this.namespace.eventsExchange(), routingKey,
				IsimudEvents.body(routingKey, "{\"plan\":\"" + plan + "\"}"),
				new AMQP.BasicProperties.Builder().deliveryMode(2).appId(appId).build());
	}

	private static double count(MeterRegistry meters, String outcome) {
		return IsimudEvents.count(meters, outcome);
	}

}
