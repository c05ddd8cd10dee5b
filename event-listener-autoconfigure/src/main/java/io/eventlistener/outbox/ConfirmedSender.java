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
 * <p>
 * What goes on the wire is only what the caller built: Spring AMQP's own correlation
 * headers are kept off. {@code RabbitTemplate} adds
 * {@code spring_returned_message_correlation} to every message sent with a
 * {@link CorrelationData} that has an id, and {@code spring_listener_return_correlation}
 * to every mandatory one, so that it can match a returned message to its confirm; this
 * sender waits for confirms only (unroutable messages are not returned), so it sends with
 * an empty correlation id and without the mandatory flag, whatever
 * {@code spring.rabbitmq.template.mandatory} says.
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
		// an empty id: the confirm is matched by sequence number, and no return header
		CorrelationData correlation = new CorrelationData("");
		String what = "message " + routingKey + " to exchange " + exchange;
		try {
			this.template.execute((channel) -> {
				this.template.doSend(channel, exchange, routingKey, message, false, correlation);
				return null;
			});
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
