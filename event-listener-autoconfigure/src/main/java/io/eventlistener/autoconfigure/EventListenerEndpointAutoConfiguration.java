package io.eventlistener.autoconfigure;

import java.time.Clock;

import io.eventlistener.actuate.BindingAuditEndpoint;
import io.eventlistener.actuate.DeadLetterEndpoint;
import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.audit.BindingAudit;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.partition.PartitionCoordinator;
import io.eventlistener.replay.DeadLetterReplayer;
import io.eventlistener.watch.ObserverSynchronizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The starter's actuator endpoints, each when it is available (exposed over the web or
 * JMX) and what it shows is there: {@code eventlistener} (observers, resync),
 * {@code eventlistenerdeadletters} (replay) and {@code eventlistenerbindings} (the
 * binding audit).
 */
@AutoConfiguration(after = { EventListenerAutoConfiguration.class, ModelWatcherAutoConfiguration.class,
		EventListenerPartitionAutoConfiguration.class, DeadLetterReplayAutoConfiguration.class,
		BindingAuditAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
public final class EventListenerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint(EventListenerEndpoint.class)
	@ConditionalOnBean(EventListenerAssembly.class)
	@ConditionalOnMissingBean
	EventListenerEndpoint eventListenerEndpoint(EventListenerAssembly listener, ObjectProvider<ErrorBudget> errorBudget,
			ObjectProvider<ObserverSynchronizer> synchronizer, ObjectProvider<PartitionCoordinator> partition) {
		EventListenerEndpoint endpoint = new EventListenerEndpoint(listener.lifecycle(), listener.registry(),
				listener.types(), errorBudget.getIfAvailable(), synchronizer.getIfAvailable());
		partition.ifAvailable((coordinator) -> endpoint.setPartition(coordinator::status));
		return endpoint;
	}

	@Bean
	@ConditionalOnAvailableEndpoint(DeadLetterEndpoint.class)
	@ConditionalOnBean(DeadLetterReplayer.class)
	@ConditionalOnMissingBean
	DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplayer replayer, ObjectProvider<Clock> clock) {
		return new DeadLetterEndpoint(replayer, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnAvailableEndpoint(BindingAuditEndpoint.class)
	@ConditionalOnBean(BindingAudit.class)
	@ConditionalOnMissingBean
	BindingAuditEndpoint bindingAuditEndpoint(BindingAudit audit) {
		return new BindingAuditEndpoint(audit);
	}

}
