package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventlistener.BrokerBlockedException;
import io.eventlistener.EventPublishException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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
 * <p>
 * A caller never waits longer than the confirm timeout on an open connection: while the
 * broker blocks publishers ({@link BrokerBlocking}) the send is refused at once with a
 * {@link BrokerBlockedException}. A message whose confirm timed out may still reach the
 * broker (it was sent, and is confirmed late, or held by a blocked connection until the
 * alarm ends): a late confirm is logged, and publishing such a message again may deliver
 * it twice.
 */
public class ConfirmedSender {

	private static final Log logger = LogFactory.getLog(ConfirmedSender.class);

	private final RabbitTemplate template;

	private final Duration confirmTimeout;

	private final BrokerBlocking blocking;

	/**
	 * @param template a template whose connection factory has correlated publisher
	 * confirms
	 * @param confirmTimeout how long to wait for the broker's confirm
	 */
	public ConfirmedSender(RabbitTemplate template, Duration confirmTimeout) {
		this(template, confirmTimeout, new BrokerBlocking(Clock.systemUTC()));
	}

	/**
	 * @param template a template whose connection factory has correlated publisher
	 * confirms
	 * @param confirmTimeout how long to wait for the broker's confirm
	 * @param blocking tells whether the broker blocks publishers now
	 */
	public ConfirmedSender(RabbitTemplate template, Duration confirmTimeout, BrokerBlocking blocking) {
		if (!template.getConnectionFactory().isPublisherConfirms()) {
			throw new IllegalStateException("Publishing events needs correlated publisher confirms: "
					+ "set spring.rabbitmq.publisher-confirm-type=correlated");
		}
		this.template = template;
		this.confirmTimeout = confirmTimeout;
		this.blocking = blocking;
	}

	/**
	 * Send and wait for the confirm.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message, with its message id set
	 * @throws EventPublishException if the broker did not confirm the message
	 * @throws BrokerBlockedException if the broker blocks publishers now
	 */
	public void send(String exchange, String routingKey, Message message) {
		String what = "message " + routingKey + " to exchange " + exchange;
		this.blocking.current().ifPresent((blocked) -> {
			throw new BrokerBlockedException("The broker is blocking publishers (" + blocked.reason() + ", since "
					+ blocked.since() + "): " + what + " was not sent");
		});
		// an empty id: the confirm is matched by sequence number, and no return header
		CorrelationData correlation = new CorrelationData("");
		long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
		try {
			this.template.execute((channel) -> {
				this.template.doSend(channel, exchange, routingKey, message, false, correlation);
				return null;
			});
			CorrelationData.Confirm confirm = correlation.getFuture()
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (!confirm.ack()) {
				throw new EventPublishException("Broker refused " + what + ": " + confirm.reason());
			}
		}
		catch (TimeoutException ex) {
			reportLateConfirm(correlation, what, message.getMessageProperties().getMessageId());
			String blocked = this.blocking.current()
				.map((blocking) -> "; the broker is blocking publishers (" + blocking.reason() + ")")
				.orElse("");
			throw new EventPublishException("No publisher confirm for " + what + " within " + this.confirmTimeout
					+ blocked + "; it may still be delivered, so publishing it again may duplicate it", ex);
		}
		catch (ExecutionException | AmqpException ex) {
			throw new EventPublishException("Could not publish " + what + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventPublishException("Interrupted while waiting for the confirm of " + what, ex);
		}
	}

	private static void reportLateConfirm(CorrelationData correlation, String what, @Nullable String messageId) {
		correlation.getFuture().thenAccept((confirm) -> {
			if (confirm.ack()) {
				logger.warn("The broker confirmed " + what + " (message id " + messageId
						+ ") after the confirm timeout: the publisher was told it failed, so a retry is a duplicate");
			}
		});
	}

}
