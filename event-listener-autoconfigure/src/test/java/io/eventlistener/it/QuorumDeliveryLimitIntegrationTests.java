package io.eventlistener.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.GetResponse;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message that kills its consumer every time, on a quorum observer queue declared
 * without {@code event-listener.queues.delivery-limit}, on RabbitMQ 4.0: the broker's
 * default limit of 20 dead-letters it to the starter's dead-letter queue (the queue's
 * {@code x-dead-letter-exchange}), and the observer goes on consuming. The application
 * reaches the broker through a {@link TcpProxy} and the handler cuts its connections, as
 * a process that crashes on the message would lose them: the delivery returns to the
 * queue unacknowledged and counts towards the limit. On 3.10 there is no default limit
 * (decision 0073), so this runs on 4.0 only.
 */
class QuorumDeliveryLimitIntegrationTests {

	private static final RabbitBroker RABBIT = RabbitBroker.RABBITMQ_4;

	private final TestNamespace namespace = TestNamespace.create(RABBIT, Company.DDL);

	private final TcpProxy proxy = new TcpProxy(RABBIT.host(), RABBIT.port());

	@AfterEach
	void stop() {
		this.namespace.close();
		this.proxy.close();
	}

	@Test
	void aMessageThatKillsItsConsumerIsDeadLetteredByTheBrokerAtItsDefaultLimit() {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('c', true, 'crash.#')");
		long id = this.namespace.queryForLong("select id from company where name = 'c'");
		String queue = this.namespace.queuePrefix() + ".company." + id;
		String deadLetters = this.namespace.queuePrefix() + ".dead-letter";
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class,
				"event-listener.queues.type=quorum", "spring.rabbitmq.port=" + this.proxy.port());
		assertThat(this.namespace.broker().declaration(queue).orElseThrow().arguments())
			.doesNotContainKey("x-delivery-limit");
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		// the one event of this test crashes its process: every connection of the
		// application is gone before the handler returns, so the delivery is never
		// acknowledged
		handler.beforeEach(this.proxy::disconnectAll);

		RawAmqp.publish(RABBIT, this.namespace.eventsExchange(), "crash.User.1.create",
				"{\"type\":\"crash\",\"eventful_type\":\"User\",\"eventful_id\":1,\"action\":\"create\"}"
					.getBytes(StandardCharsets.UTF_8));

		// 21 crashes, each followed by the consumers' reconnection: 90 s was too short on
		// a loaded machine (CI with other builds beside it)
		await().atMost(Duration.ofMinutes(4))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.namespace.broker().queue(deadLetters).map((state) -> state.messages()).orElse(0) == 1);
		GetResponse dead = RawAmqp.get(RABBIT, deadLetters);
		List<?> deaths = (List<?>) dead.getProps().getHeaders().get("x-death");
		Map<?, ?> death = (Map<?, ?>) deaths.get(0);
		int deliveries = handler.attempts("crash.User.1.create");
		System.out.printf("delivery limit | %s | quorum queue declared without x-delivery-limit | "
				+ "delivered %d times, each cutting its connections, then dead-lettered by the broker to %s "
				+ "(x-death reason %s)%n", RABBIT, deliveries, deadLetters, death.get("reason"));

		assertThat(String.valueOf(death.get("reason"))).isEqualTo("delivery_limit");
		assertThat(String.valueOf(death.get("queue"))).isEqualTo(queue);
		// the first delivery and 20 more: the limit counts returns, and the 21st return
		// is dead-lettered
		assertThat(deliveries).isEqualTo(21);
		handler.beforeEach(() -> {
		});
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).orElseThrow().consumers() == 1);
		assertThat(this.namespace.broker().queue(queue).orElseThrow().messages()).isZero();
	}

}
