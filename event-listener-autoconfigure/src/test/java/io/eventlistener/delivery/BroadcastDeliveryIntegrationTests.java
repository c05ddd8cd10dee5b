package io.eventlistener.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.eventlistener.DeliveryMode;
import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.it.Company;
import io.eventlistener.testsupport.BrokerManagement.QueueDeclaration;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DeliveryMode#BROADCAST}, with two instances of the application (two contexts
 * with their own instance ids) on the real broker and database: each has its own queue
 * per observer and per broadcast application queue, each handles every event, a newly
 * created observer is registered live by both, and the queues of an instance that is gone
 * are deleted by the broker. Run on RabbitMQ 3.10 and 4.0.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RabbitBroker.class)
class BroadcastDeliveryIntegrationTests {

	private final TestNamespace namespace;

	BroadcastDeliveryIntegrationTests(RabbitBroker rabbit) {
		this.namespace = TestNamespace.create(rabbit, Company.DDL, DeliveryTestApplication.DDL);
	}

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void everyInstanceHandlesEveryEventAndTheQueuesOfAClosedInstanceGoAway() {
		long first = insertCompany("first");
		ConfigurableApplicationContext a = start("a");
		ConfigurableApplicationContext b = start("b");
		String queue = this.namespace.queuePrefix() + ".company." + first;

		assertThat(declaration(queue + ".a")).isEqualTo(new QueueDeclaration("classic", Map.of("x-expires", 2000)));
		assertThat(declaration(queue + ".b")).isEqualTo(declaration(queue + ".a"));
		assertThat(this.namespace.broker().queue(queue)).isEmpty();
		for (int seq = 1; seq <= 20; seq++) {
			publish("model.User." + seq + ".create", seq);
			publish("cache.User." + seq, seq);
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(handled("a", "company." + first)).isEqualTo(20);
			assertThat(handled("b", "company." + first)).isEqualTo(20);
			assertThat(handled("a", "cache")).isEqualTo(20);
			assertThat(handled("b", "cache")).isEqualTo(20);
		});
		assertThat(a.getBean(EventListenerEndpoint.class).listener().observers().get("Company").delivery())
			.isEqualTo(DeliveryMode.BROADCAST);
		assertThat(b.getBean(EventListenerHealthIndicator.class).health().getDetails().get("delivery"))
			.isEqualTo(Map.of("instanceId", "b", "observers", Map.of("Company", DeliveryMode.BROADCAST)));

		// created by another application (plain SQL and isimud's model-watcher message)
		long second = insertCompany("second");
		RawAmqp.publish(this.namespace.rabbit(), this.namespace.modelsExchange(),
				this.namespace.id() + ".Company.create",
				("{\"schema\":\"" + this.namespace.id() + "\",\"type\":\"Company\",\"action\":\"create\",\"id\":"
						+ second + "}")
					.getBytes(StandardCharsets.UTF_8));
		String secondQueue = this.namespace.queuePrefix() + ".company." + second;
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.namespace.broker().queue(secondQueue + ".a").map((state) -> state.consumers())).hasValue(1);
			assertThat(this.namespace.broker().queue(secondQueue + ".b").map((state) -> state.consumers())).hasValue(1);
		});
		publish("model.User.21.create", 21);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(handled("a", "company." + second)).isEqualTo(1);
			assertThat(handled("b", "company." + second)).isEqualTo(1);
		});

		b.close();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.namespace.broker().queue(queue + ".b")).isEmpty();
			assertThat(this.namespace.broker().queue(secondQueue + ".b")).isEmpty();
			assertThat(this.namespace.broker().queue(this.namespace.queuePrefix() + ".cache.b")).isEmpty();
		});
		assertThat(this.namespace.broker().queue(queue + ".a")).isPresent();
		publish("model.User.22.create", 22);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(handled("a", "company." + first)).isEqualTo(22));
		assertThat(handled("b", "company." + first)).isEqualTo(21);
	}

	private ConfigurableApplicationContext start(String instance) {
		return this.namespace.start(DeliveryTestApplication.class,
				"event-listener.delivery.observers.Company=broadcast",
				"event-listener.delivery.instance-id=" + instance, "event-listener.delivery.broadcast-queue-expiry=2s",
				"event-listener.watcher.schema=" + this.namespace.id(),
				"management.endpoints.web.exposure.include=eventlistener");
	}

	private long insertCompany(String name) {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('" + name
				+ "', true, 'model.User.*.create')");
		return this.namespace.queryForLong("select id from company where name = '" + name + "'");
	}

	private void publish(String routingKey, int seq) {
		// isimud's exact bytes: no content type, no message id
		RawAmqp.publish(this.namespace.rabbit(), this.namespace.eventsExchange(), routingKey,
				("{\"type\":\"model\",\"eventful_type\":\"User\",\"eventful_id\":" + seq
						+ ",\"action\":\"create\",\"parameters\":{\"seq\":" + seq + "}}")
					.getBytes(StandardCharsets.UTF_8));
	}

	private long handled(String instance, String queue) {
		return this.namespace.queryForLong(
				"select count(*) from handled where instance = '" + instance + "' and queue = '" + queue + "'");
	}

	private QueueDeclaration declaration(String queue) {
		return this.namespace.broker().declaration(queue).orElseThrow(() -> new AssertionError("no queue " + queue));
	}

}
