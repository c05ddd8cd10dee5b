package io.eventlistener.sample.broker;

import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker behaves as the sample relies on: a delivery rejected without
 * requeue is dropped (as on RabbitMQ without dead-lettering), one requeued stays, and a
 * RabbitMQ-only queue argument is refused loudly.
 */
class EmbeddedAmqpBrokerTests {

	private static EmbeddedAmqpBroker broker;

	private static Connection connection;

	@BeforeAll
	static void start() throws Exception {
		broker = new EmbeddedAmqpBroker("127.0.0.1", 0, "guest", "guest").start();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(broker.getAddress());
		factory.setPort(broker.getPort());
		connection = factory.newConnection();
	}

	@AfterAll
	static void stop() throws Exception {
		connection.close();
		broker.stop();
	}

	@Test
	void listensOnAPortOfItsOwn() {
		assertThat(broker.getPort()).isPositive().isNotEqualTo(5672);
	}

	@Test
	void rejectedWithoutRequeueIsDropped() throws Exception {
		try (Channel channel = connection.createChannel()) {
			String queue = channel.queueDeclare("reject.drop", true, false, false, null).getQueue();
			channel.basicPublish("", queue, null, "poison".getBytes());
			GetResponse delivery = await().atMost(Duration.ofSeconds(30))
				.until(() -> channel.basicGet(queue, false), (response) -> response != null);
			channel.basicReject(delivery.getEnvelope().getDeliveryTag(), false);
			await().atMost(Duration.ofSeconds(30)).until(() -> channel.messageCount(queue) == 0);
			assertThat(channel.basicGet(queue, true)).isNull();
		}
	}

	@Test
	void requeuedIsDeliveredAgain() throws Exception {
		try (Channel channel = connection.createChannel()) {
			String queue = channel.queueDeclare("reject.requeue", true, false, false, null).getQueue();
			channel.basicPublish("", queue, null, "again".getBytes());
			GetResponse first = await().atMost(Duration.ofSeconds(30))
				.until(() -> channel.basicGet(queue, false), (response) -> response != null);
			channel.basicReject(first.getEnvelope().getDeliveryTag(), true);
			GetResponse second = await().atMost(Duration.ofSeconds(30))
				.until(() -> channel.basicGet(queue, true), (response) -> response != null);
			assertThat(new String(second.getBody())).isEqualTo("again");
		}
	}

	@Test
	void deadLetterArgumentIsRefused() throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setPort(broker.getPort());
		Connection own = factory.newConnection();
		Channel channel = own.createChannel();
		assertThatException().isThrownBy(
				() -> channel.queueDeclare("dead.letter", true, false, false, Map.of("x-dead-letter-exchange", "dlx")))
			.withStackTraceContaining("Unsupported queue declare argument(s) : x-dead-letter-exchange");
		// Qpid closes the whole connection, not only the channel
		await().atMost(Duration.ofSeconds(30)).until(() -> !own.isOpen());
	}

}
