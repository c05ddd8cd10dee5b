package io.eventlistener.autoconfigure;

import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.metrics.EventListenerMetrics;
import io.eventlistener.metrics.FaultMetrics;
import io.eventlistener.metrics.ModelWatcherMetrics;
import io.eventlistener.metrics.PartitionMetrics;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.ObserverRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The event listener's Micrometer meters, when Micrometer and a {@link MeterRegistry} are
 * there (Spring Boot Actuator provides one).
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ObserverRegistry.class, ObserverTypes.class })
public final class EventListenerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventListenerMetrics eventListenerMetrics(MeterRegistry meterRegistry, ObserverTypes types,
			ObjectProvider<ErrorBudget> errorBudget) {
		// an ObserverRegistryListener: the registry hands it every registration change
		return new EventListenerMetrics(meterRegistry, types, errorBudget.getIfAvailable()).bindGauges();
	}

	@Bean
	@ConditionalOnMissingBean
	ModelWatcherMetrics modelWatcherMetrics(EventListenerMetrics metrics) {
		return new ModelWatcherMetrics(metrics);
	}

	@Bean
	@ConditionalOnMissingBean
	FaultMetrics eventListenerFaultMetrics(ObjectProvider<OutagePause> outagePause,
			ObjectProvider<EventPublishingAssembly> publishing) {
		EventPublishingAssembly sending = publishing.getIfAvailable();
		return new FaultMetrics(outagePause.getIfAvailable(), (sending != null) ? sending.sender().blocking() : null);
	}

	@Bean
	@ConditionalOnProperty(name = "event-listener.consumer.partitioning", havingValue = "dynamic")
	@ConditionalOnMissingBean
	PartitionMetrics eventListenerPartitionMetrics(MeterRegistry meterRegistry) {
		return new PartitionMetrics(meterRegistry);
	}

}
