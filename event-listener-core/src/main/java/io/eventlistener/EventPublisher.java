package io.eventlistener;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes {@link Event events} to the events exchange in isimud's wire format.
 */
@FunctionalInterface
public interface EventPublisher {

	/**
	 * Publish the event to the configured events exchange with its
	 * {@link Event#routingKey() routing key}, persistent. Inside a database transaction
	 * it is stored in the outbox with the transaction and sent after commit, retried
	 * until the broker confirms it; outside one this method waits for the broker's
	 * confirm.
	 * @param event the event
	 * @throws EventPublishException outside a transaction, if the broker did not confirm
	 * the event in time or refused it
	 */
	void publish(Event event);

	/**
	 * Publish without waiting for the broker, so that a caller can publish many events
	 * and wait once. Outside a transaction the future completes when the broker confirms
	 * the event, and exceptionally with an {@link EventPublishException} when it refuses
	 * it (nack, with the broker's reason), the send fails, or no confirm came within the
	 * confirm timeout. Inside a transaction the event is stored in the outbox with it, as
	 * {@link #publish} does, and the future completes after commit, once the broker has
	 * confirmed it; exceptionally if the transaction rolls back (nothing is sent) or the
	 * send after commit fails (the event stays in the outbox and is sent again). This
	 * default publishes synchronously.
	 * @param event the event
	 * @return the outcome
	 */
	default CompletableFuture<Void> publishAsync(Event event) {
		try {
			publish(event);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send the event as a request and wait for one reply, over RabbitMQ's direct
	 * reply-to: an observer's {@link EventReplyHandler} (or a queue's
	 * {@link EventQueueReplyHandler}) answers it. Several handlers may match: the first
	 * reply wins, later ones are dropped and counted. The request is not confirmed, not
	 * stored in the outbox (a transaction does not hold it back) and expires after the
	 * timeout.
	 * @param event the event
	 * @param timeout how long to wait for the reply
	 * @return the reply; exceptionally a {@link java.util.concurrent.TimeoutException}
	 * when none came in time, an {@link EventReplyException} when the handler failed, an
	 * {@link EventPublishException} when the request could not be sent or no queue is
	 * bound for its routing key; this default supports no requests
	 */
	default CompletableFuture<EventReply> request(Event event, Duration timeout) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException(
				getClass().getName() + " does not send requests; use the auto-configured EventPublisher"));
	}

}
