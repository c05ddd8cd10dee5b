package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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
 * Sends messages so that none is lost, each once, and in order. Inside a transaction the
 * message is stored in the outbox table as part of that transaction and sent after
 * commit; if the broker does not confirm it then, the {@link OutboxRelay} sends it later,
 * also after a restart. Outside a transaction, or without an outbox table, the message is
 * sent at once and the caller sees any failure.
 * <p>
 * Order: the messages of one transaction, and the messages about one object
 * ({@link OutboxMessage#orderingKey()}), reach the broker in commit order. After commit
 * the transaction's messages are sent in the order they were published, under a
 * {@link OutboxRepository.Claim claim} that locks them, up to the first one that another
 * transaction's message about the same object still waits before (its send failed, or is
 * in flight): that one and the rest stay for the relay, which sends each only after what
 * waits before it. The claim costs one query and one commit per transaction, and saves
 * the delete per message that sending used to cost (one delete per transaction).
 * <p>
 * Delivery is at least once: a message whose send is in doubt (sent, but its confirm lost
 * with the connection or late) is sent again; a confirmed message is deleted in the same
 * claim and never sent again, unless the database fails between the confirm and that
 * commit.
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

	private volatile Runnable deferred = () -> {
	};

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
	 * Set what runs when messages after commit waited behind an earlier message about the
	 * same object: the relay sends them once it is gone, rather than after its retry
	 * interval.
	 * @param deferred the action; it must not block
	 */
	public void whenDeferred(Runnable deferred) {
		this.deferred = deferred;
	}

	/**
	 * Send a message, through the outbox when a transaction is active.
	 * @param message the message (its {@code createdAt} is replaced by now)
	 * @throws EventPublishException outside a transaction, if the broker did not confirm
	 * it
	 */
	public void send(OutboxMessage message) {
		OutboxRepository repository = this.repository;
		if (repository == null || !inTransaction()) {
			this.sender.send(message.exchange(), message.routingKey(), toAmqp(message, this.clock.instant()));
			return;
		}
		store(repository, message);
	}

	/**
	 * Send a message without waiting for the broker. Outside a transaction (or without an
	 * outbox table) it is sent at once and the future completes with the broker's confirm
	 * (see {@link ConfirmedSender#sendAsync}). Inside one it is stored with the
	 * transaction, and the future completes after commit, when the broker has confirmed
	 * it; exceptionally when the transaction rolls back (nothing is sent) or when it is
	 * not confirmed after commit (the send failed, or it waits behind an earlier message
	 * about the same object), in which case the message stays in the outbox and the relay
	 * sends it: the failure says it is not lost, only not confirmed yet.
	 * @param message the message (its {@code createdAt} is replaced by now)
	 * @return the outcome
	 */
	public CompletableFuture<Void> sendAsync(OutboxMessage message) {
		OutboxRepository repository = this.repository;
		if (repository == null || !inTransaction()) {
			return this.sender.sendAsync(message.exchange(), message.routingKey(),
					toAmqp(message, this.clock.instant()));
		}
		return store(repository, message);
	}

	private static boolean inTransaction() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	private CompletableFuture<Void> store(OutboxRepository repository, OutboxMessage message) {
		StoredTransaction transaction = (StoredTransaction) TransactionSynchronizationManager.getResource(this);
		if (transaction == null) {
			transaction = new StoredTransaction(UUID.randomUUID().toString());
			TransactionSynchronizationManager.bindResource(this, transaction);
			TransactionSynchronizationManager.registerSynchronization(transaction);
		}
		OutboxMessage stored = message.stored(this.clock.instant(), this.tracing.capture());
		repository.insert(stored, transaction.id);
		return transaction.add(stored);
	}

	private Message toAmqp(OutboxMessage message, Instant publishedAt) {
		Message amqp = message.toAmqp();
		this.identity.applyTo(amqp.getMessageProperties(), publishedAt);
		return amqp;
	}

	/**
	 * Send, after commit, what a transaction stored, in order, under a claim: up to the
	 * first message that may not go yet or is not confirmed; delete what was confirmed.
	 */
	private void sendCommitted(OutboxRepository repository, StoredTransaction transaction) {
		List<OutboxMessage> confirmed = new ArrayList<>();
		boolean[] waiting = new boolean[1];
		@Nullable EventPublishException failure;
		try {
			failure = repository.claim((claim) -> {
				Set<String> sendable = new HashSet<>(claim.transaction(transaction.id));
				@Nullable EventPublishException notSent = null;
				for (OutboxMessage message : transaction.messages) {
					if (!sendable.contains(message.messageId())) {
						waiting[0] = true;
						notSent = new EventPublishException("Message " + message.routingKey()
								+ " waits in the outbox behind an earlier message about the same object; "
								+ "the relay sends it after that one");
						break;
					}
					notSent = sendClaimed(message);
					if (notSent != null) {
						break;
					}
					confirmed.add(message);
				}
				claim.delete(confirmed.stream().map(OutboxMessage::messageId).toList());
				return notSent;
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Messages of a committed transaction stay in the outbox (the relay sends them; any confirmed "
					+ "already are sent again): the outbox table could not be read or updated: " + ex.getMessage());
			failure = new EventPublishException(
					"The outbox could not be read or updated after commit; the relay sends the messages: "
							+ ex.getMessage(),
					ex);
		}
		transaction.complete(confirmed, failure);
		if (waiting[0]) {
			this.deferred.run();
		}
	}

	/**
	 * Send one claimed message; the caller deletes it once confirmed.
	 * @param message the stored message
	 * @return {@code null} once confirmed, else why it stays in the outbox
	 */
	@Nullable EventPublishException sendClaimed(OutboxMessage message) {
		try {
			this.tracing.sendIn(message.traceContext(), () -> this.sender.send(message.exchange(), message.routingKey(),
					toAmqp(message, message.createdAt())));
			return null;
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
	}

	private static EventPublishException stays(OutboxMessage message, EventPublishException ex) {
		return new EventPublishException("Message " + message.routingKey()
				+ " is not confirmed yet; it stays in the outbox and the relay sends it again: " + ex.getMessage(), ex);
	}

	/**
	 * The messages one transaction stored, sent after it commits. Bound to the
	 * transaction as a resource (and unbound while it is suspended), so that a nested
	 * {@code REQUIRES_NEW} transaction keeps its messages apart.
	 */
	private final class StoredTransaction implements TransactionSynchronization {

		final String id;

		final List<OutboxMessage> messages = new ArrayList<>();

		final List<CompletableFuture<Void>> outcomes = new ArrayList<>();

		StoredTransaction(String id) {
			this.id = id;
		}

		CompletableFuture<Void> add(OutboxMessage message) {
			CompletableFuture<Void> outcome = new CompletableFuture<>();
			this.messages.add(message);
			this.outcomes.add(outcome);
			return outcome;
		}

		void complete(List<OutboxMessage> confirmed, @Nullable EventPublishException failure) {
			for (int i = 0; i < this.outcomes.size(); i++) {
				if (i < confirmed.size()) {
					this.outcomes.get(i).complete(null);
				}
				else {
					this.outcomes.get(i)
						.completeExceptionally((failure != null) ? failure : new EventPublishException(
								"Message " + this.messages.get(i).routingKey() + " is not confirmed yet"));
				}
			}
		}

		@Override
		public void suspend() {
			TransactionSynchronizationManager.unbindResourceIfPossible(MessageOutbox.this);
		}

		@Override
		public void resume() {
			TransactionSynchronizationManager.bindResource(MessageOutbox.this, this);
		}

		@Override
		public void afterCommit() {
			OutboxRepository repository = MessageOutbox.this.repository;
			if (repository != null) {
				sendCommitted(repository, this);
			}
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(MessageOutbox.this);
			if (status != STATUS_COMMITTED) {
				for (int i = 0; i < this.outcomes.size(); i++) {
					this.outcomes.get(i)
						.completeExceptionally(new EventPublishException("Message " + this.messages.get(i).routingKey()
								+ " was not sent: its transaction did not commit"));
				}
			}
		}

	}

}
