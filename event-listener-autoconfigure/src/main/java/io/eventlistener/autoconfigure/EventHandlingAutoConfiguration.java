package io.eventlistener.autoconfigure;

import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.dispatch.RequeueBackOff;
import io.eventlistener.method.EventObserverHandlerPostProcessor;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * How handlers are found and what they may decide beyond success and failure:
 * {@code @EventObserverHandler} methods, and the back-off and bound of requeued
 * deliveries ({@code event-listener.requeue.*}).
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnBean(EventDispatcher.class)
@EnableConfigurationProperties(RequeueProperties.class)
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

	@Bean
	@ConditionalOnMissingBean
	RequeueBackOff eventListenerRequeueBackOff(RequeueProperties properties) {
		return new RequeueBackOff(properties.getMaxRequeues(), properties.getInitialInterval(),
				properties.getMultiplier(), properties.getMaxInterval());
	}

}
