package io.eventlistener;

import java.util.List;

/**
 * Handles the events of one observer type in batches (oslo.messaging's batch listener):
 * up to {@code event-listener.batch.size} events, or what arrived within
 * {@code event-listener.batch.timeout}, of any of the type's observers; the consumers
 * hold a batch's deliveries unacknowledged until it was handled.
 * <p>
 * The batch is acknowledged when this method returns. When it throws, each event of the
 * batch is handled again on its own, as a one-element batch, through the ordinary path
 * (retries, then the dead-letter queue), so that one bad event does not fail the others.
 * Handlers may see an event twice, so make them idempotent.
 *
 * @param <T> the observer entity type
 */
@FunctionalInterface
public interface EventBatchHandler<T extends EventObserver> extends EventHandler<T> {

	/**
	 * Handle a batch of events, in the order they were delivered.
	 * @param batch the events and their observers, at least one
	 * @throws Exception to have each event handled again on its own
	 */
	void handle(List<ObservedEvent<T>> batch) throws Exception;

	/**
	 * Handle one event as a batch of one: how each event of a failed batch is tried
	 * again.
	 */
	@Override
	default void handle(T observer, Event event) throws Exception {
		handle(List.of(new ObservedEvent<>(observer, event)));
	}

}
