package io.eventlistener.autoconfigure;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.observer.QueueNames;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The per-instance side of {@link DeliveryMode}s: each {@link DeliveryMode#BROADCAST
 * broadcast} {@link EventQueueBinding} is given this instance's own queue name before
 * anything declares or consumes it.
 */
@AutoConfiguration(before = EventListenerAutoConfiguration.class)
public final class EventDeliveryAutoConfiguration {

	@Bean
	static BeanPostProcessor eventListenerDeliveryPostProcessor(ObjectProvider<QueueNames> queueNames) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof EventQueueBinding binding && binding.delivery() == DeliveryMode.BROADCAST) {
					QueueNames names = queueNames.getIfAvailable();
					// without the listener (event-listener.enabled=false) nothing
					// consumes it
					return (names != null) ? binding.withQueueName(names.instanceQueue(binding.queueName())) : binding;
				}
				return bean;
			}

		};
	}

}
