package io.eventlistener.autoconfigure;

import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.dispatch.RequeueBackOff;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * What handlers may decide beyond success and failure: the back-off and bound of requeued
 * deliveries ({@code event-listener.requeue.*}).
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnBean(EventDispatcher.class)
@EnableConfigurationProperties(RequeueProperties.class)
public final class EventHandlingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RequeueBackOff eventListenerRequeueBackOff(RequeueProperties properties) {
		return new RequeueBackOff(properties.getMaxRequeues(), properties.getInitialInterval(),
				properties.getMultiplier(), properties.getMaxInterval());
	}

}
