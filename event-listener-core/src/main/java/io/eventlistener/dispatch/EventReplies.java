package io.eventlistener.dispatch;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.eventlistener.EventReplyException;
import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.util.PatternMatchUtils;

/**
 * Sends a reply handler's answer to a request: to the default exchange with the request's
 * {@code reply_to} as routing key and its {@code correlation_id}, as JSON, with this
 * application's {@code app_id}. Replies are not confirmed: the requester's timeout covers
 * a lost one. A failed send is logged (rate-limited), never thrown into the delivery.
 * <p>
 * The {@code reply_to} is the requester's word, not ours, so it does not decide where
 * this application writes: a reply goes only to RabbitMQ's direct reply-to
 * ({@value #DIRECT_REPLY_TO} and {@code amq.rabbitmq.reply-to.*}) or to a queue the
 * {@linkplain #setAllowedQueues allow-list} names. Any other {@code reply_to} is refused:
 * the request is handled and acknowledged as any event (its handler's side effects are
 * not undone), the reply is dropped, one rate-limited line is logged and
 * {@link #refusedReplies()} counts it. A correlation id longer than
 * {@value #MAX_CORRELATION_ID_LENGTH} characters is not copied.
 * <p>
 * An error reply carries the exception's simple class name and the stable code
 * {@value #HANDLER_FAILED}; its message (which may hold SQL text or data) only when
 * {@linkplain #setIncludeExceptionMessage switched on}.
 */
public class EventReplies {

	/** RabbitMQ's direct reply-to pseudo-queue; replies to it are always allowed. */
	public static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

	/** The code of an error reply: the handler threw. */
	public static final String HANDLER_FAILED = "handler-failed";

	/** The longest correlation id copied to a reply. */
	public static final int MAX_CORRELATION_ID_LENGTH = 128;

	private static final Log logger = LogFactory.getLog(EventReplies.class);

	private final RabbitOperations template;

	private final JsonMapper mapper;

	private final @Nullable String publisherId;

	private final RateLimitedLog failures = new RateLimitedLog(logger);

	private final RateLimitedLog refusals = new RateLimitedLog(logger);

	private final LongAdder sent = new LongAdder();

	private final LongAdder refused = new LongAdder();

	private List<String> allowedQueues = List.of();

	private boolean includeExceptionMessage;

	/**
	 * Create a new {@code EventReplies}.
	 * @param template sends the replies
	 * @param mapper writes them
	 * @param publisherId the {@code app_id} of replies, or {@code null}
	 */
	public EventReplies(RabbitOperations template, JsonMapper mapper, @Nullable String publisherId) {
		this.template = template;
		this.mapper = mapper;
		this.publisherId = publisherId;
	}

	/**
	 * Set the queues, besides RabbitMQ's direct reply-to, that replies may be sent to.
	 * @param allowedQueues queue names, or patterns with {@code *} wildcards; none by
	 * default
	 */
	public void setAllowedQueues(Collection<String> allowedQueues) {
		this.allowedQueues = List.copyOf(allowedQueues);
	}

	/**
	 * Set whether error replies carry the handler's exception message.
	 * @param includeExceptionMessage {@code false} by default: the exception's type and
	 * code only
	 */
	public void setIncludeExceptionMessage(boolean includeExceptionMessage) {
		this.includeExceptionMessage = includeExceptionMessage;
	}

	/**
	 * Answer a request, if it is one and there is an answer.
	 * @param request the delivered message's properties
	 * @param reply the handler's return value, or {@code null} for none
	 */
	public void reply(MessageProperties request, @Nullable Object reply) {
		if (reply != null && allowed(request)) {
			send(request, this.mapper.writeValueAsBytes(reply), null);
		}
	}

	/**
	 * Tell a requester its handler failed.
	 * @param request the delivered message's properties
	 * @param failure the handler's exception
	 */
	public void replyError(MessageProperties request, Exception failure) {
		if (!allowed(request)) {
			return;
		}
		Map<String, @Nullable Object> error = new LinkedHashMap<>();
		error.put("error", failure.getClass().getSimpleName());
		error.put("code", HANDLER_FAILED);
		if (this.includeExceptionMessage) {
			error.put("message", failure.getMessage());
		}
		send(request, this.mapper.writeValueAsBytes(error), failure.getClass().getSimpleName());
	}

	/**
	 * Return the replies sent.
	 * @return the replies sent (handed to the broker)
	 */
	public long sentReplies() {
		return this.sent.sum();
	}

	/**
	 * Return the replies dropped because the request's {@code reply_to} is not allowed.
	 * @return the replies refused
	 */
	public long refusedReplies() {
		return this.refused.sum();
	}

	/**
	 * Whether a reply may go to the request's {@code reply_to}: there is one, and it is
	 * the direct reply-to or an allowed queue. A refusal is logged and counted.
	 */
	private boolean allowed(MessageProperties request) {
		String replyTo = request.getReplyTo();
		if (replyTo == null) {
			return false;
		}
		if (isDirectReplyTo(replyTo)
				|| PatternMatchUtils.simpleMatch(this.allowedQueues.toArray(String[]::new), replyTo)) {
			return true;
		}
		this.refused.increment();
		this.refusals.warn(() -> "Refused to reply to queue " + LogSanitizer.sanitize(replyTo) + " ("
				+ DeadLetterRecoverer.messageName(request) + " from queue " + request.getConsumerQueue()
				+ "): replies go only to RabbitMQ's direct reply-to or to event-listener.replies.allowed-queues;"
				+ " the request was handled and acknowledged, the reply dropped");
		return false;
	}

	static boolean isDirectReplyTo(String replyTo) {
		return replyTo.equals(DIRECT_REPLY_TO) || replyTo.startsWith(DIRECT_REPLY_TO + ".");
	}

	private void send(MessageProperties request, byte[] body, @Nullable String error) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding("UTF-8");
		String correlationId = request.getCorrelationId();
		if (correlationId != null && correlationId.length() <= MAX_CORRELATION_ID_LENGTH) {
			properties.setCorrelationId(correlationId);
		}
		if (this.publisherId != null) {
			properties.setAppId(this.publisherId);
		}
		if (error != null) {
			properties.setHeader(EventReplyException.HEADER, error);
		}
		try {
			this.template.send("", request.getReplyTo(), new Message(body, properties));
			this.sent.increment();
		}
		catch (AmqpException ex) {
			this.failures.warn(() -> "Could not send the reply to " + LogSanitizer.sanitize(request.getReplyTo())
					+ " (correlation id " + LogSanitizer.sanitize(request.getCorrelationId()) + "): "
					+ LogSanitizer.sanitize(ex.getMessage()));
		}
	}

}
