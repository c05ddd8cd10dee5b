package io.eventlistener.testsupport;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

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
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServices.RABBIT_HOST);
		factory.setPort(LocalServices.RABBIT_PORT);
		try (Connection connection = factory.newConnection("raw-amqp-test");
				Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
					body);
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

}
