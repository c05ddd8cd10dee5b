package io.eventlistener.inbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.util.StringUtils;

/**
 * What the inbox records of a handled delivery: the queue it came from (one per observer,
 * so each observer of an event handles it once) and the delivery's id.
 * <p>
 * The id is the AMQP {@code message_id} when the publisher set one (isimud sets
 * {@code exchange:routing_key:user_id:epoch:nsec}, this starter's publisher a UUID), else
 * {@value #DIGEST} and the SHA-256 of the delivered routing key and the body. A
 * redelivery carries the same id, routing key and body byte for byte, so either finds it;
 * the digest takes two deliveries as one only when their routing key and body are
 * identical, that is when no handler could tell them apart. An id longer than
 * {@value #MAX_ID} characters is replaced by its own digest, to fit the column.
 *
 * @param queue the queue the delivery came from
 * @param deliveryId the delivery's id
 */
public record InboxKey(String queue, String deliveryId) {

	/** What starts an id made by digest rather than taken from {@code message_id}. */
	public static final String DIGEST = "sha-256:";

	/** The longest {@code message_id} recorded as it is. */
	public static final int MAX_ID = 200;

	/**
	 * The key of a delivery.
	 * @param message the delivery, with its consumer queue set
	 * @return its key
	 */
	public static InboxKey of(Message message) {
		MessageProperties properties = message.getMessageProperties();
		return new InboxKey(properties.getConsumerQueue(), deliveryId(message));
	}

	/**
	 * The id of a delivery: its {@code message_id}, or a digest.
	 * @param message the delivery
	 * @return the id, at most {@value #MAX_ID} characters or a digest
	 */
	public static String deliveryId(Message message) {
		MessageProperties properties = message.getMessageProperties();
		String messageId = properties.getMessageId();
		if (StringUtils.hasLength(messageId)) {
			return (messageId.length() <= MAX_ID) ? messageId
					: digest("message_id", messageId.getBytes(StandardCharsets.UTF_8));
		}
		return digest(String.valueOf(properties.getReceivedRoutingKey()), message.getBody());
	}

	/**
	 * SHA-256 of the name's length, the name and the content: the length keeps a name
	 * that ends like the content begins from matching another split of the same bytes.
	 */
	private static String digest(String name, byte[] content) {
		byte[] prefix = name.getBytes(StandardCharsets.UTF_8);
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(prefix.length).array());
			digest.update(prefix);
			return DIGEST + HexFormat.of().formatHex(digest.digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
