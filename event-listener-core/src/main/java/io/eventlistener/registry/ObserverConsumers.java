package io.eventlistener.registry;

import java.util.Collection;

/**
 * Starts and stops consuming observer queues. The implementation,
 * {@link MultiplexedConsumers}, puts many consumers on each channel and runs their
 * handlers on one shared executor; no thread and no channel per queue.
 */
public interface ObserverConsumers {

	void consume(String queue);

	void cancel(String queue);

	/**
	 * Consume many queues, for a bulk registration. The default consumes them one by one.
	 * @param queues the queue names
	 */
	default void consumeAll(Collection<String> queues) {
		queues.forEach(this::consume);
	}

	/**
	 * Stop consuming many queues, for a hand-over. The default cancels them one by one.
	 * @param queues the queue names
	 */
	default void cancelAll(Collection<String> queues) {
		queues.forEach(this::cancel);
	}

}
