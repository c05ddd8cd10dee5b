package io.eventlistener.registry;

import java.util.Collection;

/**
 * Starts and stops consuming observer queues. The default implementation,
 * {@link ShardedContainerConsumers}, spreads the queues over several
 * {@link org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer}s, one
 * connection each; no thread is created per queue.
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

}
