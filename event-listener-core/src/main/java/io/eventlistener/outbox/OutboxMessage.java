package io.eventlistener.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * A message waiting in the outbox until the broker confirms it. Bodies are UTF-8 text
 * (the JSON of events and model-watcher messages).
 *
 * @param messageId the AMQP message id, also the row's key
 * @param exchange the exchange
 * @param routingKey the routing key
 * @param contentType the content type, or {@code null} for none
 * @param body the body
 * @param createdAt when it was stored
 * @param traceContext the publishing thread's trace context, as
 * {@link io.eventlistener.tracing.OutboxTracing#capture()} wrote it, or {@code null}
 */
public record OutboxMessage(String messageId, String exchange, String routingKey, @Nullable String contentType,
		String body, Instant createdAt, @Nullable String traceContext) {

	/**
	 * A message with no trace context.
	 * @param messageId the AMQP message id, also the row's key
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param contentType the content type, or {@code null} for none
	 * @param body the body
	 * @param createdAt when it was stored
	 */
	public OutboxMessage(String messageId, String exchange, String routingKey, @Nullable String contentType,
			String body, Instant createdAt) {
		this(messageId, exchange, routingKey, contentType, body, createdAt, null);
	}

	/**
	 * The persistent AMQP message to send.
	 * @return the message
	 */
	public Message toAmqp() {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(this.messageId);
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		if (this.contentType != null) {
			properties.setContentType(this.contentType);
			properties.setContentEncoding("UTF-8");
		}
		return new Message(this.body.getBytes(StandardCharsets.UTF_8), properties);
	}

}
