package io.eventlistener.registry;

/**
 * Starts and stops consuming observer queues. One implementation adds queues to a
 * {@link org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer}; no
 * thread is created per queue.
 */
public interface ObserverConsumers {

	void consume(String queue);

	void cancel(String queue);

}
