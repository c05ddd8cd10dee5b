package io.eventlistener.registry;

import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * Consumes observer queues with one {@link DirectMessageListenerContainer}, which adds
 * and removes queues at runtime without a thread per queue.
 */
public class DirectContainerConsumers implements ObserverConsumers {

	private final DirectMessageListenerContainer container;

	public DirectContainerConsumers(DirectMessageListenerContainer container) {
		this.container = container;
	}

	@Override
	public void consume(String queue) {
		this.container.addQueueNames(queue);
	}

	@Override
	public void cancel(String queue) {
		this.container.removeQueueNames(queue);
	}

}
