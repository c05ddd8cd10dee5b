package io.eventlistener.publish;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventlistener.EventPublishException;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Sends a JSON body as a persistent message with a {@code message_id} and waits for the
 * broker's publisher confirm: a nack, a timeout or a send failure is an
 * {@link EventPublishException} (isimud switched confirms on and never waited). Shared by
 * the event publisher and the model watcher.
 */
public class ConfirmingSender {

	private final RabbitTemplate template;

	private final Duration confirmTimeout;

	/**
	 * @param template a template whose connection factory has correlated publisher
	 * confirms
	 * @param confirmTimeout how long to wait for the broker's confirm
	 * @throws IllegalStateException if the connection factory has no correlated confirms
	 */
	public ConfirmingSender(RabbitTemplate template, Duration confirmTimeout) {
		if (!template.getConnectionFactory().isPublisherConfirms()) {
			throw new IllegalStateException("Publishing events needs correlated publisher confirms: "
					+ "set spring.rabbitmq.publisher-confirm-type=correlated");
		}
		this.template = template;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Send a JSON body and wait for its confirm.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param json the UTF-8 JSON body
	 * @throws EventPublishException if the broker did not confirm the message in time or
	 * refused it
	 */
	public void send(String exchange, String routingKey, byte[] json) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding("UTF-8");
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setMessageId(UUID.randomUUID().toString());
		CorrelationData correlation = new CorrelationData(properties.getMessageId());
		try {
			this.template.send(exchange, routingKey, new Message(json, properties), correlation);
			CorrelationData.Confirm confirm = correlation.getFuture()
				.get(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!confirm.ack()) {
				throw new EventPublishException(
						"Broker refused " + routingKey + " on exchange " + exchange + ": " + confirm.reason());
			}
		}
		catch (TimeoutException ex) {
			throw new EventPublishException("No publisher confirm for " + routingKey + " within " + this.confirmTimeout,
					ex);
		}
		catch (ExecutionException | AmqpException ex) {
			throw new EventPublishException("Could not publish " + routingKey + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventPublishException("Interrupted while waiting for the confirm of " + routingKey, ex);
		}
	}

}
