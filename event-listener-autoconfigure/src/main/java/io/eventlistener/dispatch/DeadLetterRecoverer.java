package io.eventlistener.dispatch;

import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecovererWithConfirms;
import org.springframework.core.NestedExceptionUtils;

/**
 * Takes a delivery that will not be tried again: republishes it, confirmed, to the
 * dead-letter exchange with its original routing key and headers that say where it came
 * from, how often it was tried and why it failed (Spring AMQP's
 * {@code RepublishMessageRecoverer} headers plus ours). Returning lets the container
 * acknowledge the original, so a poison message never loops.
 * <p>
 * If dead-lettering itself fails, the delivery is returned to its queue instead of being
 * lost. With dead-lettering switched off (for a broker that cannot do it) the delivery is
 * logged and discarded.
 */
public final class DeadLetterRecoverer implements MessageRecoverer {

	/** Header: the observer the delivery was for. */
	public static final String OBSERVER_HEADER = "x-event-listener-observer";

	/** Header: the queue the delivery came from. */
	public static final String QUEUE_HEADER = "x-event-listener-queue";

	/** Header: how many times the handler was tried. */
	public static final String ATTEMPTS_HEADER = "x-event-listener-attempts";

	/**
	 * Header: when the delivery was dead-lettered, epoch milliseconds (replay filters by
	 * it).
	 */
	public static final String DEAD_LETTERED_AT_HEADER = "x-event-listener-dead-lettered-at";

	private static final Log logger = LogFactory.getLog(DeadLetterRecoverer.class);

	private final @Nullable RepublishMessageRecovererWithConfirms republisher;

	private final @Nullable String exchange;

	private DeadLetterRecoverer(@Nullable RabbitTemplate template, @Nullable String exchange) {
		this.exchange = exchange;
		if (template != null && exchange != null) {
			RepublishMessageRecovererWithConfirms republisher = new RepublishMessageRecovererWithConfirms(template,
					exchange, ConfirmType.CORRELATED);
			republisher.setErrorRoutingKeyPrefix("");
			this.republisher = republisher;
		}
		else {
			this.republisher = null;
		}
	}

	/**
	 * Dead-letter to an exchange.
	 * @param template a template with correlated publisher confirms
	 * @param exchange the dead-letter exchange
	 * @return the recoverer
	 */
	public static DeadLetterRecoverer republishing(RabbitTemplate template, String exchange) {
		return new DeadLetterRecoverer(template, exchange);
	}

	/**
	 * Log and discard, for brokers that cannot dead-letter.
	 * @return the recoverer
	 */
	public static DeadLetterRecoverer discarding() {
		return new DeadLetterRecoverer(null, null);
	}

	@Override
	public void recover(Message message, Throwable cause) {
		Optional<ImmediateRequeueAmqpException> requeue = causeOfType(cause, ImmediateRequeueAmqpException.class);
		if (requeue.isPresent()) {
			throw requeue.get();
		}
		String delivery = describe(message.getMessageProperties());
		String reason = NestedExceptionUtils.getMostSpecificCause(cause).toString();
		if (this.republisher == null) {
			logger.warn("Discarded " + delivery + " (dead-lettering is off): " + reason);
			return;
		}
		message.getMessageProperties().setHeader(DEAD_LETTERED_AT_HEADER, System.currentTimeMillis());
		try {
			this.republisher.recover(message, cause);
		}
		catch (AmqpException ex) {
			logger.error("Could not dead-letter " + delivery + " to exchange " + this.exchange
					+ "; returning it to its queue", ex);
			throw new ImmediateRequeueAmqpException("Dead-lettering failed for " + delivery, ex);
		}
		logger.warn("Dead-lettered " + delivery + " to exchange " + this.exchange + ": " + reason);
	}

	private static String describe(MessageProperties properties) {
		Object attempts = properties.getHeader(ATTEMPTS_HEADER);
		return "delivery " + properties.getMessageId() + " from queue " + properties.getConsumerQueue()
				+ " (routing key " + properties.getReceivedRoutingKey() + ", " + ((attempts != null) ? attempts : 1)
				+ " attempt(s))";
	}

	static <T extends Throwable> Optional<T> causeOfType(@Nullable Throwable throwable, Class<T> type) {
		for (Throwable current = throwable; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return Optional.of(type.cast(current));
			}
		}
		return Optional.empty();
	}

}
