package io.eventlistener.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.dispatch.RedeliveryAdvice;
import io.eventlistener.observer.QueueNames;
import org.aopalliance.aop.Advice;

import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The per-instance side of {@link DeliveryMode}s: each {@link DeliveryMode#BROADCAST
 * broadcast} {@link EventQueueBinding} is given this instance's own queue name before
 * anything declares or consumes it, and the observer containers expose the broker's
 * redelivered flag to handlers ({@link io.eventlistener.CurrentDelivery}).
 */
@AutoConfiguration(before = EventListenerAutoConfiguration.class)
public final class EventDeliveryAutoConfiguration {

	/**
	 * The observer containers' factory, as {@link EventListenerAutoConfiguration} names
	 * it.
	 */
	static final String CONTAINER_FACTORY = "eventListenerContainerFactory";

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
				if (bean instanceof DirectRabbitListenerContainerFactory factory
						&& CONTAINER_FACTORY.equals(beanName)) {
					List<Advice> chain = new ArrayList<>();
					chain.add(new RedeliveryAdvice());
					Advice[] existing = factory.getAdviceChain();
					if (existing != null) {
						chain.addAll(Arrays.asList(existing));
					}
					factory.setAdviceChain(chain.toArray(Advice[]::new));
				}
				return bean;
			}

		};
	}

}
