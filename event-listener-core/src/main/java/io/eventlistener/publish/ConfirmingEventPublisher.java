package io.eventlistener.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.EventReply;
import io.eventlistener.outbox.MessageOutbox;
import io.eventlistener.outbox.OutboxMessage;
import io.eventlistener.wire.EventCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageProperties;

/**
 * Publishes events as persistent JSON messages with a fresh {@code message_id}, through
 * the {@link MessageOutbox}: inside a database transaction the event is stored with the
 * transaction and sent, confirmed, after commit; outside one it is sent at once and the
 * broker's confirm awaited, and a nack or a timeout is an
 * {@link io.eventlistener.EventPublishException} the caller sees. The events about one
 * object (isimud's {@code eventful_type} and {@code eventful_id}) share an ordering key,
 * so the outbox sends them in commit order.
 */
public class ConfirmingEventPublisher implements EventPublisher {

	private final MessageOutbox outbox;

	private final EventCodec codec;

	private final String exchange;

	private @Nullable EventRequester requester;

	/**
	 * Create a new {@code ConfirmingEventPublisher}.
	 * @param outbox sends the messages
	 * @param codec writes the JSON body
	 * @param exchange the events exchange
	 */
	public ConfirmingEventPublisher(MessageOutbox outbox, EventCodec codec, String exchange) {
		this.outbox = outbox;
		this.codec = codec;
		this.exchange = exchange;
	}

	/**
	 * Send requests ({@link #request}) through this requester.
	 * @param requester the requester, or {@code null} to refuse requests
	 */
	public void setRequester(@Nullable EventRequester requester) {
		this.requester = requester;
	}

	@Override
	public CompletableFuture<EventReply> request(Event event, Duration timeout) {
		EventRequester requester = this.requester;
		return (requester != null) ? requester.request(event, timeout) : EventPublisher.super.request(event, timeout);
	}

	@Override
	public void publish(Event event) {
		this.outbox.send(message(event));
	}

	@Override
	public CompletableFuture<Void> publishAsync(Event event) {
		return this.outbox.sendAsync(message(event));
	}

	private OutboxMessage message(Event event) {
		return new OutboxMessage(UUID.randomUUID().toString(), this.exchange, event.routingKey(),
				MessageProperties.CONTENT_TYPE_JSON, new String(this.codec.write(event), StandardCharsets.UTF_8),
				Instant.EPOCH, OutboxMessage.orderingKey(event.eventfulType(), event.eventfulId()), null);
	}

}
