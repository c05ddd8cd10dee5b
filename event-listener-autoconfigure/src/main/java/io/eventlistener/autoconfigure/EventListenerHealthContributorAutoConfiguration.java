package io.eventlistener.autoconfigure;

import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.actuate.OutageHealthIndicator;
import io.eventlistener.actuate.PartitionHealthIndicator;
import io.eventlistener.actuate.PublisherHealthIndicator;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.partition.PartitionCoordinator;
import io.eventlistener.watch.ModelWatcherSubscription;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The event listener's health indicators: {@code eventListener} (consuming, bounded to 2
 * s) and {@code eventListenerPublisher} (is the broker blocking publishers?); switch both
 * off with {@code management.health.eventlistener.enabled=false}. With partitioned
 * consuming, {@code eventListenerPartition} (is this instance still a member?).
 */
@AutoConfiguration(after = { EventListenerAutoConfiguration.class, EventListenerPartitionAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(EventListenerAssembly.class)
public final class EventListenerHealthContributorAutoConfiguration {

	// on the method, not the class: its condition class must not be loaded when the
	// class-level @ConditionalOnClass finds no health module
	@Bean
	@ConditionalOnEnabledHealthIndicator("eventlistener")
	@ConditionalOnMissingBean(name = "eventListenerHealthIndicator")
	EventListenerHealthIndicator eventListenerHealthIndicator(EventListenerAssembly listener,
			ObjectProvider<ErrorBudget> errorBudget, ObjectProvider<ModelWatcherSubscription> watcher,
			ObjectProvider<AmqpAdmin> admin, ObjectProvider<EventListenerProperties> properties,
			ObjectProvider<PartitionCoordinator> partition, Environment environment) {
		EventListenerHealthIndicator indicator = EventListenerHealthIndicator.of(listener, errorBudget.getIfAvailable(),
				watcher.getIfAvailable(), admin.getIfAvailable(),
				properties.getIfAvailable(EventListenerProperties::new).getConsumer().getGracePeriod(),
				EventListenerThreads.perTask("health", environment));
		partition.ifAvailable((coordinator) -> indicator.setPartition(coordinator::status));
		return indicator;
	}

	@Bean
	@ConditionalOnBean(EventPublishingAssembly.class)
	@ConditionalOnMissingBean(name = "eventListenerPublisherHealthIndicator")
	PublisherHealthIndicator eventListenerPublisherHealthIndicator(EventPublishingAssembly publishing) {
		return new PublisherHealthIndicator(publishing.sender().blocking());
	}

	@Bean
	@ConditionalOnBean(PartitionCoordinator.class)
	@ConditionalOnMissingBean(name = "eventListenerPartitionHealthIndicator")
	PartitionHealthIndicator eventListenerPartitionHealthIndicator(PartitionCoordinator coordinator) {
		return new PartitionHealthIndicator(coordinator::status, coordinator.settings().memberTimeout());
	}

	@Bean
	@ConditionalOnBean(OutagePause.class)
	@ConditionalOnMissingBean(name = "eventListenerOutageHealthIndicator")
	OutageHealthIndicator eventListenerOutageHealthIndicator(OutagePause outagePause) {
		return new OutageHealthIndicator(outagePause);
	}

}
