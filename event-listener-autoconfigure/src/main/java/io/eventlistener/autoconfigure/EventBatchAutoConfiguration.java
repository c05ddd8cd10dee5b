package io.eventlistener.autoconfigure;

import java.util.List;

import io.eventlistener.EventBatchHandler;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Refuses to start with an {@link EventBatchHandler} in the container mode: the direct
 * containers acknowledge each delivery when its listener returns, so they cannot hold a
 * batch (see the README's "Batch handlers"). The multiplexed consumers batch.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "event-listener.consumer.mode", havingValue = "container")
public final class EventBatchAutoConfiguration {

	@Bean
	static SmartInitializingSingleton eventBatchHandlersNeedMultiplexedConsumers(ListableBeanFactory beanFactory) {
		return () -> {
			List<String> names = List.of(beanFactory.getBeanNamesForType(EventBatchHandler.class));
			if (!names.isEmpty()) {
				throw new IllegalStateException("EventBatchHandler beans " + names
						+ " need the multiplexed consumers (the container mode acknowledges each delivery on its own): "
						+ "set event-listener.consumer.mode=multiplexed");
			}
		};
	}

}
