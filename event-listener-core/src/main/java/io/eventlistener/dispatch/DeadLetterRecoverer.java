package io.eventlistener.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

import io.eventlistener.EventPublishException;
import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.outbox.BrokerBlocking;
import io.eventlistener.outbox.ConfirmedSender;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.PublisherCallbackChannel;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;

/**
 * Takes a delivery that will not be tried again: republishes it, confirmed, to the
 * dead-letter exchange with its original routing key and headers that say where it came
 * from, how often it was tried and why it failed (Spring AMQP's
 * {@code RepublishMessageRecoverer} headers plus ours). Returning lets the consumer
 * acknowledge the original, so a poison message never loops.
 * <p>
 * The stack trace header ({@code x-exception-stacktrace}) is left out unless switched on
 * (as Spring AMQP leaves it out by default): the dead-letter exchange is a topic exchange
 * any reader of the virtual host may bind to. When on, it is bounded: each exception of
 * the cause chain with its first {@value #STACK_FRAMES} frames, at most
 * {@value #STACK_TRACE_LENGTH} characters in all, so the root cause is always there and a
 * dead letter stays far below the broker's frame size. Spring AMQP's correlation headers
 * ({@code spring_*_correlation}) are never republished.
 * <p>
 * If dead-lettering itself fails, the delivery is returned to its queue instead of being
 * lost. With dead-lettering switched off (for a broker that cannot do it) the delivery is
 * logged and discarded.
 */
public final class DeadLetterRecoverer implements MessageRecoverer, DisposableBean {

	/**
	 * The prefix of the starter's own headers; a delivery's headers with it are removed
	 * before the starter reads or writes its own.
	 */
	public static final String HEADER_PREFIX = "x-event-listener-";

	/** Header: the observer the delivery was for. */
	public static final String OBSERVER_HEADER = "x-event-listener-observer";

	/** Header: the queue the delivery came from. */
	public static final String QUEUE_HEADER = "x-event-listener-queue";

	/** Header: how many times the handler was tried. */
	public static final String ATTEMPTS_HEADER = "x-event-listener-attempts";

	/** Header: how many times the handler requeued the delivery, when it did. */
	public static final String REQUEUES_HEADER = "x-event-listener-requeues";

	/** Frames kept of each exception in the cause chain. */
	public static final int STACK_FRAMES = 12;

	/** The longest stack trace header, in characters. */
	public static final int STACK_TRACE_LENGTH = 8_192;

	/** How long dead-lettering waits for the broker's confirm. */
	static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Headers {@code RabbitTemplate} adds to correlate returns and replies: internal to
	 * the sender, meaningless to anyone reading the dead letter.
	 */
	static final List<String> SPRING_CORRELATION_HEADERS = List.of(
			PublisherCallbackChannel.RETURNED_MESSAGE_CORRELATION_KEY,
			PublisherCallbackChannel.RETURN_LISTENER_CORRELATION_KEY, "spring_request_return_correlation",
			"spring_reply_correlation");

	/**
	 * Header: when the delivery was dead-lettered, epoch milliseconds (replay filters by
	 * it).
	 */
	public static final String DEAD_LETTERED_AT_HEADER = "x-event-listener-dead-lettered-at";

	private static final Log logger = LogFactory.getLog(DeadLetterRecoverer.class);

	private final @Nullable Republisher republisher;

	private final @Nullable String exchange;

	private DeadLetterRecoverer(@Nullable RabbitTemplate template, @Nullable String exchange,
			@Nullable ThreadFactory senderThreads, boolean includeStackTrace) {
		this.exchange = exchange;
		this.republisher = (template != null && exchange != null && senderThreads != null)
				? new Republisher(template, exchange, senderThreads, includeStackTrace) : null;
	}

	/**
	 * Dead-letter to an exchange.
	 * @param template a template with correlated publisher confirms
	 * @param exchange the dead-letter exchange
	 * @param senderThreads makes the threads that send dead letters (daemon threads)
	 * @return the recoverer
	 */
	public static DeadLetterRecoverer republishing(RabbitTemplate template, String exchange,
			ThreadFactory senderThreads) {
		return republishing(template, exchange, senderThreads, false);
	}

	/**
	 * Dead-letter to an exchange.
	 * @param template a template with correlated publisher confirms
	 * @param exchange the dead-letter exchange
	 * @param senderThreads makes the threads that send dead letters (daemon threads)
	 * @param includeStackTrace whether dead letters carry {@code x-exception-stacktrace}
	 * (bounded); {@code false} by default
	 * @return the recoverer
	 */
	public static DeadLetterRecoverer republishing(RabbitTemplate template, String exchange,
			ThreadFactory senderThreads, boolean includeStackTrace) {
		return new DeadLetterRecoverer(template, exchange, senderThreads, includeStackTrace);
	}

	/**
	 * Set the registry whose current observation (the delivery's) a dead letter's send
	 * continues, so that the dead letter carries the delivery's trace.
	 * @param observations the application's observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observations) {
		if (this.republisher != null) {
			this.republisher.sender.setObservationRegistry(observations);
		}
	}

	/**
	 * Log and discard, for brokers that cannot dead-letter.
	 * @return the recoverer
	 */
	public static DeadLetterRecoverer discarding() {
		return new DeadLetterRecoverer(null, null, null, false);
	}

	/**
	 * Stop the dead-letter sender's publisher threads.
	 */
	@Override
	public void destroy() {
		if (this.republisher != null) {
			this.republisher.sender.destroy();
		}
	}

	@Override
	public void recover(Message message, Throwable cause) {
		Optional<ImmediateRequeueAmqpException> requeue = causeOfType(cause, ImmediateRequeueAmqpException.class);
		if (requeue.isPresent()) {
			throw requeue.get();
		}
		String delivery = describe(message.getMessageProperties());
		String reason = LogSanitizer.sanitize(NestedExceptionUtils.getMostSpecificCause(cause));
		if (this.republisher == null) {
			logger.warn("Discarded " + delivery + " (dead-lettering is off): " + reason);
			return;
		}
		message.getMessageProperties().setHeader(DEAD_LETTERED_AT_HEADER, System.currentTimeMillis());
		try {
			this.republisher.recover(message, cause);
		}
		catch (AmqpException | EventPublishException ex) {
			logger.error("Could not dead-letter " + delivery + " to exchange " + this.exchange
					+ "; returning it to its queue", ex);
			throw new ImmediateRequeueAmqpException("Dead-lettering failed for " + delivery, ex);
		}
		logger.warn("Dead-lettered " + delivery + " to exchange " + this.exchange + ": " + reason);
	}

	private static String describe(MessageProperties properties) {
		Object attempts = properties.getHeader(ATTEMPTS_HEADER);
		return messageName(properties) + " from queue " + properties.getConsumerQueue() + " (routing key "
				+ LogSanitizer.sanitize(properties.getReceivedRoutingKey()) + ", " + ((attempts != null) ? attempts : 1)
				+ " attempt(s))";
	}

	/**
	 * Remove the starter's own headers ({@value #HEADER_PREFIX}{@code *}) that a delivery
	 * arrived with: a publisher may preset them, so none is trusted.
	 * @param properties the delivery's properties
	 */
	public static void removeStarterHeaders(MessageProperties properties) {
		properties.getHeaders().keySet().removeIf((name) -> name.startsWith(HEADER_PREFIX));
	}

	/**
	 * Name a delivery for a log line: by its message id, or, for a message without one
	 * (isimud sends none on model-watcher messages, raw publishers often none at all), by
	 * its delivery tag on the consumer's channel.
	 * @param properties the delivery's properties
	 * @return {@code message id …} or {@code delivery tag …}
	 */
	public static String messageName(MessageProperties properties) {
		String id = properties.getMessageId();
		return (id != null) ? "message id " + LogSanitizer.sanitize(id) : "delivery tag " + properties.getDeliveryTag();
	}

	/**
	 * The cause chain, each exception with its first {@value #STACK_FRAMES} frames, cut
	 * at {@value #STACK_TRACE_LENGTH} characters.
	 * @param cause the failure
	 * @return the bounded stack trace
	 */
	static String boundedStackTrace(Throwable cause) {
		StringBuilder trace = new StringBuilder();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable current = cause; current != null && seen.add(current)
				&& trace.length() < STACK_TRACE_LENGTH; current = current.getCause()) {
			trace.append((current != cause) ? "Caused by: " : "").append(current).append('\n');
			StackTraceElement[] frames = current.getStackTrace();
			for (int i = 0; i < Math.min(frames.length, STACK_FRAMES); i++) {
				trace.append("\tat ").append(frames[i]).append('\n');
			}
			if (frames.length > STACK_FRAMES) {
				trace.append("\t... ").append(frames.length - STACK_FRAMES).append(" more\n");
			}
		}
		return (trace.length() <= STACK_TRACE_LENGTH) ? trace.toString()
				: trace.substring(0, STACK_TRACE_LENGTH - 3) + "...";
	}

	static <T extends Throwable> Optional<T> causeOfType(@Nullable Throwable throwable, Class<T> type) {
		for (Throwable current = throwable; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return Optional.of(type.cast(current));
			}
		}
		return Optional.empty();
	}

	/**
	 * Spring AMQP's republisher, with its headers, the stack trace only when asked for
	 * (it writes {@code x-exception-stacktrace} only with a positive maximum length) and
	 * then bounded, and sending through {@link ConfirmedSender}, which waits for the
	 * confirm and adds no correlation header.
	 */
	private static final class Republisher extends RepublishMessageRecoverer {

		private final ConfirmedSender sender;

		Republisher(RabbitTemplate template, String exchange, ThreadFactory senderThreads, boolean includeStackTrace) {
			super(template, exchange);
			// never refused as blocked: a dead letter waits for the confirm, at most the
			// timeout
			this.sender = new ConfirmedSender(template, CONFIRM_TIMEOUT, new BrokerBlocking(Clock.systemUTC()),
					senderThreads, senderThreads);
			setErrorRoutingKeyPrefix("");
			includeStackTrace(includeStackTrace);
		}

		@Override
		protected void doSend(@Nullable String exchange, String routingKey, Message message) {
			SPRING_CORRELATION_HEADERS.forEach(message.getMessageProperties().getHeaders()::remove);
			this.sender.send((exchange != null) ? exchange : "", routingKey, message);
		}

		/**
		 * The dead letter's routing key, which Spring AMQP also logs: the original one,
		 * its control characters escaped (a key with none is unchanged; the original is
		 * in {@code x-original-routingKey}, which replay uses).
		 */
		@Override
		protected String prefixedOriginalRoutingKey(Message message) {
			return LogSanitizer.escapeControlCharacters(super.prefixedOriginalRoutingKey(message));
		}

		@Override
		protected String getStackTraceAsString(Throwable cause) {
			return boundedStackTrace(cause);
		}

	}

}
