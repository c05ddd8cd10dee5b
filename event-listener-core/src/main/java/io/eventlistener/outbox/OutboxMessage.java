package io.eventlistener.outbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

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
 * @param orderingKey the object the message is about
 * ({@link #orderingKey(String, String)}): messages with the same key reach the broker in
 * commit order; {@code null} for none
 * @param traceContext the publishing thread's trace context, as
 * {@link io.eventlistener.tracing.OutboxTracing#capture()} wrote it, or {@code null}
 */
public record OutboxMessage(String messageId, String exchange, String routingKey, @Nullable String contentType,
		String body, Instant createdAt, @Nullable String orderingKey, @Nullable String traceContext) {

	/** The longest ordering key stored as it is; a longer one is stored as a digest. */
	static final int MAX_ORDERING_KEY = 200;

	/**
	 * A message about no object in particular, with no trace context: ordered only with
	 * the other messages of its transaction.
	 * @param messageId the AMQP message id, also the row's key
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param contentType the content type, or {@code null} for none
	 * @param body the body
	 * @param createdAt when it was stored
	 */
	public OutboxMessage(String messageId, String exchange, String routingKey, @Nullable String contentType,
			String body, Instant createdAt) {
		this(messageId, exchange, routingKey, contentType, body, createdAt, null, null);
	}

	/**
	 * The ordering key of the object a message is about: its type and id, as isimud's
	 * {@code eventful_type} and {@code eventful_id} (or a model-watcher message's
	 * {@code type} and {@code id}) name it, so that an event and a model change about one
	 * row share it. A key longer than {@value #MAX_ORDERING_KEY} characters is replaced
	 * by its SHA-256 digest, so that it fits the column.
	 * @param type the object's type, or {@code null}
	 * @param id the object's id, or {@code null}
	 * @return the key, or {@code null} when either is missing (no object to order by)
	 */
	public static @Nullable String orderingKey(@Nullable String type, @Nullable String id) {
		if (type == null || id == null) {
			return null;
		}
		String key = type + "#" + id;
		return (key.length() <= MAX_ORDERING_KEY) ? key : "sha256:" + sha256(key);
	}

	private static String sha256(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * This message, as stored.
	 * @param storedAt when it is stored
	 * @param traceContext the publishing thread's trace context, or {@code null}
	 * @return a copy with that {@code createdAt} and trace context
	 */
	OutboxMessage stored(Instant storedAt, @Nullable String traceContext) {
		return new OutboxMessage(this.messageId, this.exchange, this.routingKey, this.contentType, this.body, storedAt,
				this.orderingKey, traceContext);
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
