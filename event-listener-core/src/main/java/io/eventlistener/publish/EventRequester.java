package io.eventlistener.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.eventlistener.Event;
import io.eventlistener.EventPublishException;
import io.eventlistener.EventReply;
import io.eventlistener.EventReplyException;
import io.eventlistener.outbox.PublisherIdentity;
import io.eventlistener.wire.EventCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Sends events as requests and completes each with its first reply, over RabbitMQ's
 * direct reply-to: one channel consumes {@code amq.rabbitmq.reply-to} and publishes the
 * requests (the broker routes a reply to the channel that published the request; no reply
 * queue is declared), with a fresh {@code correlation_id} each, and an {@code expiration}
 * of the timeout, so a request no one took in time is not handled.
 * <p>
 * Spring AMQP's {@code AsyncRabbitTemplate} does direct reply-to too, but it logs every
 * reply it cannot match at WARN and cannot tell them apart: here a reply after the
 * request's timeout is counted as late, a second reply within it (several observers
 * matched the request) as extra, and both are dropped quietly. A request no queue is
 * bound for is returned by the broker (it is sent mandatory) and fails at once.
 * <p>
 * If the channel closes (connection lost), waiting requests fail at once and the next
 * request opens a new one.
 */
public class EventRequester implements DisposableBean {

	/** RabbitMQ's direct reply-to pseudo-queue. */
	public static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

	private final ConnectionFactory connectionFactory;

	private final EventCodec codec;

	private final String exchange;

	private final PublisherIdentity identity;

	private final Clock clock;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Map<String, CompletableFuture<EventReply>> pending = new ConcurrentHashMap<>();

	private final LongAdder lateReplies = new LongAdder();

	private final LongAdder extraReplies = new LongAdder();

	private @Nullable Channel channel;

	/**
	 * Create a new {@code EventRequester}.
	 * @param connectionFactory opens the requests' channel
	 * @param codec writes the events
	 * @param exchange the events exchange
	 * @param identity the {@code app_id} and {@code timestamp} of requests
	 * @param clock stamps them
	 */
	public EventRequester(ConnectionFactory connectionFactory, EventCodec codec, String exchange,
			PublisherIdentity identity, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.codec = codec;
		this.exchange = exchange;
		this.identity = identity;
		this.clock = clock;
	}

	/**
	 * Send an event as a request.
	 * @param event the event
	 * @param timeout how long to wait for the reply
	 * @return the first reply; exceptionally a {@link TimeoutException} when none came in
	 * time, an {@link EventReplyException} when the handler failed, an
	 * {@link EventPublishException} when the request could not be sent or no queue is
	 * bound for its routing key
	 */
	public CompletableFuture<EventReply> request(Event event, Duration timeout) {
		String correlationId = UUID.randomUUID().toString();
		CompletableFuture<EventReply> reply = new CompletableFuture<>();
		this.pending.put(correlationId, reply);
		AMQP.BasicProperties.Builder properties = new AMQP.BasicProperties.Builder()
			.contentType(MessageProperties.CONTENT_TYPE_JSON)
			.contentEncoding("UTF-8")
			.messageId(UUID.randomUUID().toString())
			.correlationId(correlationId)
			.replyTo(DIRECT_REPLY_TO)
			.expiration(Long.toString(Math.max(1, timeout.toMillis())))
			.appId(this.identity.publisherId());
		if (this.identity.timestamp()) {
			properties.timestamp(Date.from(this.clock.instant()));
		}
		try {
			synchronized (this) {
				channel().basicPublish(this.exchange, event.routingKey(), true, properties.build(),
						this.codec.write(event));
			}
		}
		catch (IOException | AmqpException | IllegalStateException ex) {
			this.pending.remove(correlationId);
			return CompletableFuture.failedFuture(new EventPublishException(
					"Could not send request " + event.routingKey() + ": " + ex.getMessage(), ex));
		}
		CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
			// kept until now, so that a second reply within the timeout counts as extra
			this.pending.remove(correlationId);
			reply.completeExceptionally(
					new TimeoutException("No reply to request " + event.routingKey() + " within " + timeout));
		});
		return reply;
	}

	/**
	 * Return replies that came after their request's timeout, or for no request of ours.
	 * @return replies that came after their request's timeout, or for no request of ours
	 */
	public long lateReplies() {
		return this.lateReplies.sum();
	}

	/**
	 * Return replies to a request that another reply had already answered.
	 * @return replies to a request that another reply had already answered
	 */
	public long extraReplies() {
		return this.extraReplies.sum();
	}

	private Channel channel() throws IOException {
		Channel channel = this.channel;
		if (channel != null && channel.isOpen()) {
			return channel;
		}
		Channel opened = this.connectionFactory.createConnection().getDelegate().createChannel();
		if (opened == null) {
			throw new IOException("no channel available");
		}
		opened.addReturnListener((replyCode, replyText, exchange, routingKey, properties, body) -> {
			CompletableFuture<EventReply> reply = this.pending.remove(properties.getCorrelationId());
			if (reply != null) {
				reply.completeExceptionally(new EventPublishException("Request " + routingKey + " reached no queue ("
						+ replyText + "): no observer or queue is bound for it on exchange " + exchange));
			}
		});
		opened.addShutdownListener((cause) -> failWaiting("the requests' channel closed: " + cause.getMessage()));
		opened.basicConsume(DIRECT_REPLY_TO, true, new DefaultConsumer(opened) {

			@Override
			public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
					byte[] body) {
				received(properties, body);
			}

		});
		this.channel = opened;
		return opened;
	}

	private void received(AMQP.BasicProperties properties, byte[] body) {
		String correlationId = properties.getCorrelationId();
		CompletableFuture<EventReply> reply = (correlationId != null) ? this.pending.get(correlationId) : null;
		if (reply == null) {
			this.lateReplies.increment();
			return;
		}
		Object error = (properties.getHeaders() != null) ? properties.getHeaders().get(EventReplyException.HEADER)
				: null;
		boolean first = (error != null) ? reply.completeExceptionally(errorOf(error.toString(), body))
				: reply.complete(new EventReply(body, properties.getAppId()));
		if (!first) {
			this.extraReplies.increment();
		}
	}

	private EventReplyException errorOf(String error, byte[] body) {
		String message;
		try {
			JsonNode json = this.mapper.readTree(body);
			// the message only when the replier sends it; else its stable code
			message = json.has("message") ? json.path("message").asString("")
					: json.path("code").asString(new String(body, StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			message = new String(body, StandardCharsets.UTF_8);
		}
		return new EventReplyException(error, message);
	}

	private void failWaiting(String reason) {
		this.pending.values()
			.forEach((reply) -> reply.completeExceptionally(new EventPublishException("No reply: " + reason)));
	}

	@Override
	public synchronized void destroy() {
		Channel channel = this.channel;
		this.channel = null;
		if (channel != null && channel.isOpen()) {
			try {
				channel.close();
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				// closing anyway
			}
		}
	}

}
