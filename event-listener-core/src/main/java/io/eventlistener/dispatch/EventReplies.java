package io.eventlistener.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eventlistener.EventReplyException;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitOperations;

/**
 * Sends a reply handler's answer to a request: to the default exchange with the request's
 * {@code reply_to} as routing key (RabbitMQ's direct reply-to, or any queue a raw client
 * names) and its {@code correlation_id}, as JSON, with this application's {@code app_id}.
 * Replies are not confirmed: the requester's timeout covers a lost one. A failed send is
 * logged (rate-limited), never thrown into the delivery.
 */
public class EventReplies {

	private static final Log logger = LogFactory.getLog(EventReplies.class);

	private final RabbitOperations template;

	private final JsonMapper mapper;

	private final @Nullable String publisherId;

	private final RateLimitedLog failures = new RateLimitedLog(logger);

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
	 * Answer a request, if it is one and there is an answer.
	 * @param request the delivered message's properties
	 * @param reply the handler's return value, or {@code null} for none
	 */
	public void reply(MessageProperties request, @Nullable Object reply) {
		if (reply != null && request.getReplyTo() != null) {
			send(request, this.mapper.writeValueAsBytes(reply), null);
		}
	}

	/**
	 * Tell a requester its handler failed.
	 * @param request the delivered message's properties
	 * @param failure the handler's exception
	 */
	public void replyError(MessageProperties request, Exception failure) {
		if (request.getReplyTo() == null) {
			return;
		}
		Map<String, @Nullable Object> error = new LinkedHashMap<>();
		error.put("error", failure.getClass().getSimpleName());
		error.put("message", failure.getMessage());
		send(request, this.mapper.writeValueAsBytes(error), failure.getClass().getSimpleName());
	}

	private void send(MessageProperties request, byte[] body, @Nullable String error) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding("UTF-8");
		properties.setCorrelationId(request.getCorrelationId());
		if (this.publisherId != null) {
			properties.setAppId(this.publisherId);
		}
		if (error != null) {
			properties.setHeader(EventReplyException.HEADER, error);
		}
		try {
			this.template.send("", request.getReplyTo(), new Message(body, properties));
		}
		catch (AmqpException ex) {
			this.failures.warn(() -> "Could not send the reply to " + request.getReplyTo() + " (correlation id "
					+ request.getCorrelationId() + "): " + ex.getMessage());
		}
	}

}
