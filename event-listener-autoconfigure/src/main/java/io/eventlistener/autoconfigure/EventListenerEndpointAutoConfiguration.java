package io.eventlistener.autoconfigure;

import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.watch.ObserverSynchronizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code eventlistener} actuator endpoint, when it is available (exposed with
 * {@code management.endpoints.web.exposure.include=eventlistener} or over JMX).
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean({ EventListenerLifecycle.class, ObserverRegistry.class, ObserverTypes.class })
public final class EventListenerEndpointAutoConfiguration {

	// on the method, not the class: its condition class must not be loaded when the
	// class-level @ConditionalOnClass finds no actuator
	@Bean
	@ConditionalOnAvailableEndpoint(EventListenerEndpoint.class)
	@ConditionalOnMissingBean
	EventListenerEndpoint eventListenerEndpoint(EventListenerLifecycle lifecycle, ObserverRegistry registry,
			ObserverTypes types, ObjectProvider<ErrorBudget> errorBudget,
			ObjectProvider<ObserverSynchronizer> synchronizer) {
		return new EventListenerEndpoint(lifecycle, registry, types, errorBudget.getIfAvailable(),
				synchronizer.getIfAvailable());
	}

}
