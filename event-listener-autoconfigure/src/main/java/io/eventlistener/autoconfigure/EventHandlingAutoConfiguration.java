package io.eventlistener.autoconfigure;

import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.method.EventObserverHandlerPostProcessor;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * How handlers are found: {@code @EventObserverHandler} methods.
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnBean(EventDispatcher.class)
public final class EventHandlingAutoConfiguration {

	/**
	 * Finds {@code @EventObserverHandler} methods; static, as a bean post-processor must
	 * be, so that this configuration is not created early.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static EventObserverHandlerPostProcessor eventObserverHandlerPostProcessor() {
		return new EventObserverHandlerPostProcessor();
	}

}
