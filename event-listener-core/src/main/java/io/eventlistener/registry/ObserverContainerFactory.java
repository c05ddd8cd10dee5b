package io.eventlistener.registry;

import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * Makes {@link ObserverContainer}s, configured as any
 * {@link DirectRabbitListenerContainerFactory} (so Boot's
 * {@code spring.rabbitmq.listener.direct.*} settings apply).
 */
public class ObserverContainerFactory extends DirectRabbitListenerContainerFactory {

	@Override
	protected DirectMessageListenerContainer createContainerInstance() {
		return new ObserverContainer();
	}

}
