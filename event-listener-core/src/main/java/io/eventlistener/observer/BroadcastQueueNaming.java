package io.eventlistener.observer;

import java.util.function.Supplier;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventQueueBinding;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives each {@link DeliveryMode#BROADCAST broadcast} {@link EventQueueBinding} bean this
 * instance's own queue name before anything declares or consumes it: every instance of a
 * broadcast binding gets every event, so each needs a queue of its own.
 */
public class BroadcastQueueNaming implements BeanPostProcessor {

	private final Supplier<QueueNames> queueNames;

	/**
	 * Create a new {@code BroadcastQueueNaming}.
	 * @param queueNames this instance's queue names, asked for on the first broadcast
	 * binding (a post-processor is made before the beans it would need)
	 */
	public BroadcastQueueNaming(Supplier<QueueNames> queueNames) {
		this.queueNames = queueNames;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		return (bean instanceof EventQueueBinding binding && binding.delivery() == DeliveryMode.BROADCAST)
				? binding.withQueueName(this.queueNames.get().instanceQueue(binding.queueName())) : bean;
	}

}
