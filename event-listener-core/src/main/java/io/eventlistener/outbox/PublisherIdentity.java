package io.eventlistener.outbox;

import java.time.Instant;
import java.util.Date;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageProperties;

/**
 * What every message this application publishes says about its origin, in standard AMQP
 * properties that isimud's consumers ignore (its JSON body is unchanged): the publisher's
 * id as {@code app_id} (oslo.messaging's {@code publisher_id}, amqp-events' emitter), and
 * optionally the publication time as {@code timestamp} (whole seconds, as AMQP carries
 * it).
 *
 * @param publisherId the {@code app_id} to set, or {@code null} for none
 * @param timestamp whether to set the {@code timestamp}
 */
public record PublisherIdentity(@Nullable String publisherId, boolean timestamp) {

	/** Sets neither property, as isimud publishes. */
	public static final PublisherIdentity NONE = new PublisherIdentity(null, false);

	/**
	 * Stamp a message's properties.
	 * @param properties the properties to set
	 * @param publishedAt when the message was published (for an outbox message: when it
	 * was stored with its transaction, not when the relay sends it)
	 */
	public void applyTo(MessageProperties properties, Instant publishedAt) {
		if (this.publisherId != null) {
			properties.setAppId(this.publisherId);
		}
		if (this.timestamp) {
			properties.setTimestamp(Date.from(publishedAt));
		}
	}

}
