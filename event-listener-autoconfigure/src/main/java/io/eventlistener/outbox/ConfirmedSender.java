package io.eventlistener.outbox;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventlistener.EventPublishException;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Sends one message and waits for the broker's publisher confirm: a nack, a timeout or a
 * send failure is an {@link EventPublishException}. isimud switched confirms on and never
 * waited for them.
 */
public class ConfirmedSender {

	private final RabbitTemplate template;

	private final Duration confirmTimeout;

	/**
	 * @param template a template whose connection factory has correlated publisher
	 * confirms
	 * @param confirmTimeout how long to wait for the broker's confirm
	 */
	public ConfirmedSender(RabbitTemplate template, Duration confirmTimeout) {
		if (!template.getConnectionFactory().isPublisherConfirms()) {
			throw new IllegalStateException("Publishing events needs correlated publisher confirms: "
					+ "set spring.rabbitmq.publisher-confirm-type=correlated");
		}
		this.template = template;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Send and wait for the confirm.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message, with its message id set
	 * @throws EventPublishException if the broker did not confirm the message
	 */
	public void send(String exchange, String routingKey, Message message) {
		CorrelationData correlation = new CorrelationData(message.getMessageProperties().getMessageId());
		String what = "message " + routingKey + " to exchange " + exchange;
		try {
			this.template.send(exchange, routingKey, message, correlation);
			CorrelationData.Confirm confirm = correlation.getFuture()
				.get(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!confirm.ack()) {
				throw new EventPublishException("Broker refused " + what + ": " + confirm.reason());
			}
		}
		catch (TimeoutException ex) {
			throw new EventPublishException("No publisher confirm for " + what + " within " + this.confirmTimeout, ex);
		}
		catch (ExecutionException | AmqpException ex) {
			throw new EventPublishException("Could not publish " + what + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventPublishException("Interrupted while waiting for the confirm of " + what, ex);
		}
	}

}
