package io.eventlistener.testsupport;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.jspecify.annotations.Nullable;

/**
 * Publishes with the plain RabbitMQ Java client, as a process that is not this library
 * would (a Rails app using isimud, or an attacker): persistent, with no content type and
 * no message id unless given, and waits for the broker's confirm.
 */
public final class RawAmqp {

	private RawAmqp() {
	}

	/**
	 * Publish a body the way isimud's {@code BunnyClient#publish} does.
	 * @param exchange the exchange ("" for the default exchange)
	 * @param routingKey the routing key
	 * @param body the body
	 */
	public static void publish(String exchange, String routingKey, byte[] body) {
		publish(RabbitBroker.RABBITMQ_3, exchange, routingKey, body);
	}

	/**
	 * Publish a body the way isimud's {@code BunnyClient#publish} does, to the given
	 * broker.
	 * @param rabbit the broker
	 * @param exchange the exchange ("" for the default exchange)
	 * @param routingKey the routing key
	 * @param body the body
	 */
	public static void publish(RabbitBroker rabbit, String exchange, String routingKey, byte[] body) {
		publish(rabbit, exchange, routingKey, body, new AMQP.BasicProperties.Builder().deliveryMode(2).build());
	}

	/**
	 * Publish a body with the given properties (a publisher that sets {@code app_id},
	 * say).
	 * @param exchange the exchange ("" for the default exchange)
	 * @param routingKey the routing key
	 * @param body the body
	 * @param properties the message's properties
	 */
	public static void publish(String exchange, String routingKey, byte[] body, AMQP.BasicProperties properties) {
		publish(RabbitBroker.RABBITMQ_3, exchange, routingKey, body, properties);
	}

	private static void publish(RabbitBroker rabbit, String exchange, String routingKey, byte[] body,
			AMQP.BasicProperties properties) {
		try (Connection connection = rabbit.connectionFactory().newConnection("raw-amqp-test");
				Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			channel.basicPublish(exchange, routingKey, properties, body);
			channel.waitForConfirmsOrDie(30_000);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Raw publish to " + exchange + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Open a connection and a confirming channel for many publishes, with a return
	 * listener that counts what the broker could not route (published with
	 * {@code mandatory}).
	 * @return the publisher; close it
	 */
	public static Publisher publisher() {
		return publisher(RabbitBroker.RABBITMQ_3);
	}

	/**
	 * Open a {@link #publisher()} on the given broker.
	 * @param rabbit the broker
	 * @return the publisher; close it
	 */
	public static Publisher publisher(RabbitBroker rabbit) {
		return new Publisher(rabbit);
	}

	/**
	 * Declare a durable queue that receives a copy of everything published to an
	 * exchange, to read what was sent as any other client would.
	 * @param queue the queue's name (under a test's queue prefix, so the test removes it)
	 * @param exchange the topic exchange to copy
	 */
	public static void tap(String queue, String exchange) {
		try (Connection connection = connect(); Channel channel = connection.createChannel()) {
			channel.queueDeclare(queue, true, false, false, null);
			channel.queueBind(queue, exchange, "#");
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not tap exchange " + exchange, ex);
		}
	}

	/**
	 * Take the next message from a queue, as it is on the wire.
	 * @param queue the queue
	 * @return the message, or {@code null} when the queue is empty
	 */
	public static @Nullable GetResponse get(String queue) {
		return get(RabbitBroker.RABBITMQ_3, queue);
	}

	/**
	 * Take the next message from a queue of the given broker, as it is on the wire.
	 * @param rabbit the broker
	 * @param queue the queue
	 * @return the message, or {@code null} when the queue is empty
	 */
	public static @Nullable GetResponse get(RabbitBroker rabbit, String queue) {
		try (Connection connection = rabbit.connectionFactory().newConnection("raw-amqp-test");
				Channel channel = connection.createChannel()) {
			return channel.basicGet(queue, true);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not read queue " + queue, ex);
		}
	}

	/**
	 * The messages a queue holds that no consumer has: read at once from the broker (a
	 * passive declare), not from the management API's sampled statistics.
	 * @param queue the queue
	 * @return its ready messages
	 */
	public static long ready(String queue) {
		try (Connection connection = connect(); Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not declare queue " + queue + " passively", ex);
		}
	}

	/**
	 * The consumers a queue has: read at once from the broker (a passive declare), not
	 * from the management API's sampled statistics.
	 * @param queue the queue
	 * @return its consumers
	 */
	public static long consumers(String queue) {
		try (Connection connection = connect(); Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getConsumerCount();
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not declare queue " + queue + " passively", ex);
		}
	}

	private static Connection connect() throws IOException, TimeoutException {
		return RabbitBroker.RABBITMQ_3.connectionFactory().newConnection("raw-amqp-test");
	}

	/**
	 * Publishes many messages on one channel, each confirmed before the next; counts the
	 * unroutable ones the broker returned.
	 */
	public static final class Publisher implements AutoCloseable {

		private final Connection connection;

		private final Channel channel;

		private final java.util.concurrent.atomic.AtomicInteger returned = new java.util.concurrent.atomic.AtomicInteger();

		private Publisher(RabbitBroker rabbit) {
			try {
				this.connection = rabbit.connectionFactory().newConnection("raw-amqp-test");
				this.channel = this.connection.createChannel();
				this.channel.confirmSelect();
				this.channel.addReturnListener((returnedMessage) -> this.returned.incrementAndGet());
			}
			catch (IOException | TimeoutException ex) {
				throw new IllegalStateException("Could not connect to RabbitMQ", ex);
			}
		}

		/**
		 * Publish, persistent and with no content type or message id, and wait for the
		 * broker's confirm (a returned message is counted before its confirm arrives).
		 * @param exchange the exchange
		 * @param routingKey the routing key
		 * @param body the body
		 * @param mandatory whether the broker returns it when no queue takes it
		 */
		public void publish(String exchange, String routingKey, byte[] body, boolean mandatory) {
			try {
				this.channel.basicPublish(exchange, routingKey, mandatory,
						new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body);
				this.channel.waitForConfirmsOrDie(30_000);
			}
			catch (IOException | TimeoutException ex) {
				throw new IllegalStateException("Raw publish to " + exchange + " failed", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * How many messages the broker returned as unroutable.
		 */
		public int returned() {
			return this.returned.get();
		}

		@Override
		public void close() {
			try {
				this.connection.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

}
