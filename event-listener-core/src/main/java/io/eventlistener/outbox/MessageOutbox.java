package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.eventlistener.BrokerBlockedException;
import io.eventlistener.EventPublishException;
import io.eventlistener.tracing.OutboxTracing;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends messages so that none is lost. Inside a transaction the message is stored in the
 * outbox table as part of that transaction and sent after commit; if the broker does not
 * confirm it then, the {@link OutboxRelay} sends it again later, also after a restart.
 * Outside a transaction, or without an outbox table, the message is sent at once and the
 * caller sees any failure. Delivery is at least once: a message may be sent twice, never
 * zero times.
 * <p>
 * A stored message keeps the publishing thread's trace context ({@link OutboxTracing}),
 * and is sent in that trace, after commit as by the relay.
 */
public class MessageOutbox {

	private static final Log logger = LogFactory.getLog(MessageOutbox.class);

	private final @Nullable OutboxRepository repository;

	private final ConfirmedSender sender;

	private final Clock clock;

	private final PublisherIdentity identity;

	private OutboxTracing tracing = OutboxTracing.NONE;

	/**
	 * Create a new {@code MessageOutbox}.
	 * @param repository the outbox table, or {@code null} to send every message at once
	 * @param sender sends and awaits the confirm
	 * @param clock the time source
	 */
	public MessageOutbox(@Nullable OutboxRepository repository, ConfirmedSender sender, Clock clock) {
		this(repository, sender, clock, PublisherIdentity.NONE);
	}

	/**
	 * Create a new {@code MessageOutbox}.
	 * @param repository the outbox table, or {@code null} to send every message at once
	 * @param sender sends and awaits the confirm
	 * @param clock the time source
	 * @param identity the {@code app_id} and {@code timestamp} every message carries; the
	 * outbox table stores neither: a relayed message gets this application's id and its
	 * stored {@code created_at} as timestamp
	 */
	public MessageOutbox(@Nullable OutboxRepository repository, ConfirmedSender sender, Clock clock,
			PublisherIdentity identity) {
		this.repository = repository;
		this.sender = sender;
		this.clock = clock;
		this.identity = identity;
	}

	/**
	 * Set how a stored message keeps its trace. Defaults to {@link OutboxTracing#NONE}.
	 * @param tracing captures the trace context with the row and sends in it
	 */
	public void setTracing(OutboxTracing tracing) {
		this.tracing = tracing;
	}

	/**
	 * Send a message, through the outbox when a transaction is active.
	 * @param message the message (its {@code createdAt} is replaced by now)
	 * @throws EventPublishException outside a transaction, if the broker did not confirm
	 * it
	 */
	public void send(OutboxMessage message) {
		OutboxRepository repository = this.repository;
		if (repository == null || !TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			this.sender.send(message.exchange(), message.routingKey(), toAmqp(message, this.clock.instant()));
			return;
		}
		OutboxMessage stored = stored(message);
		repository.insert(stored);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				trySend(stored);
			}

		});
	}

	private OutboxMessage stored(OutboxMessage message) {
		return new OutboxMessage(message.messageId(), message.exchange(), message.routingKey(), message.contentType(),
				message.body(), this.clock.instant(), this.tracing.capture());
	}

	private Message toAmqp(OutboxMessage message, Instant publishedAt) {
		Message amqp = message.toAmqp();
		this.identity.applyTo(amqp.getMessageProperties(), publishedAt);
		return amqp;
	}

	/**
	 * Send a message without waiting for the broker. Outside a transaction (or without an
	 * outbox table) it is sent at once and the future completes with the broker's confirm
	 * (see {@link ConfirmedSender#sendAsync}). Inside one it is stored with the
	 * transaction, and the future completes after commit, when the broker has confirmed
	 * it; exceptionally when the transaction rolls back (nothing is sent) or when the
	 * send after commit fails, in which case the message stays in the outbox and the
	 * relay sends it again: the failure says it is not lost, only not confirmed yet.
	 * @param message the message (its {@code createdAt} is replaced by now)
	 * @return the outcome
	 */
	public CompletableFuture<Void> sendAsync(OutboxMessage message) {
		OutboxRepository repository = this.repository;
		if (repository == null || !TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			return this.sender.sendAsync(message.exchange(), message.routingKey(),
					toAmqp(message, this.clock.instant()));
		}
		OutboxMessage stored = stored(message);
		repository.insert(stored);
		CompletableFuture<Void> result = new CompletableFuture<>();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				EventPublishException failure = sendStored(stored);
				if (failure == null) {
					result.complete(null);
				}
				else {
					result.completeExceptionally(failure);
				}
			}

			@Override
			public void afterCompletion(int status) {
				if (status != STATUS_COMMITTED) {
					result.completeExceptionally(new EventPublishException(
							"Message " + stored.routingKey() + " was not sent: its transaction did not commit"));
				}
			}

		});
		return result;
	}

	/**
	 * Send a stored message and remove it once confirmed.
	 * @param message the stored message
	 * @return whether the broker confirmed it
	 */
	boolean trySend(OutboxMessage message) {
		return sendStored(message) == null;
	}

	/**
	 * Send a stored message and remove it once confirmed.
	 * @return {@code null} once confirmed, else why it stays in the outbox
	 */
	private @Nullable EventPublishException sendStored(OutboxMessage message) {
		try {
			this.tracing.sendIn(message.traceContext(), () -> this.sender.send(message.exchange(), message.routingKey(),
					toAmqp(message, message.createdAt())));
		}
		catch (BrokerBlockedException ex) {
			// the blocking itself is logged once, by BrokerBlocking
			logger.debug("Message " + message.messageId() + " stays in the outbox: " + ex.getMessage());
			return stays(message, ex);
		}
		catch (EventPublishException ex) {
			logger.warn("Message " + message.messageId() + " (" + message.routingKey()
					+ ") stays in the outbox; the relay sends it again: " + ex.getMessage());
			return stays(message, ex);
		}
		if (this.repository != null) {
			this.repository.delete(message.messageId());
		}
		return null;
	}

	private static EventPublishException stays(OutboxMessage message, EventPublishException ex) {
		return new EventPublishException("Message " + message.routingKey()
				+ " is not confirmed yet; it stays in the outbox and the relay sends it again: " + ex.getMessage(), ex);
	}

}
