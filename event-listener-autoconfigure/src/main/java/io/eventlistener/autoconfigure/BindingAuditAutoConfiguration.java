package io.eventlistener.autoconfigure;

import io.eventlistener.audit.BindingAudit;
import io.eventlistener.audit.BindingAuditAtResync;
import io.eventlistener.audit.BrokerBindings;
import io.eventlistener.audit.ManagementApiBindings;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistry;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The binding audit, when {@code event-listener.management.url} points at the broker's
 * management API: the {@link BindingAudit}, its log line (and optional removal) at every
 * resync; its endpoint is in {@link EventListenerEndpointAutoConfiguration}.
 */
@AutoConfiguration(after = { EventListenerAutoConfiguration.class, ModelWatcherAutoConfiguration.class })
@ConditionalOnBean({ ObserverRegistry.class, ObserverTypes.class, QueueNames.class, BrokerTopology.class,
		ConnectionFactory.class })
@ConditionalOnProperty(prefix = "event-listener.management", name = "url")
@EnableConfigurationProperties(EventListenerProperties.class)
public final class BindingAuditAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BrokerBindings eventListenerBrokerBindings(EventListenerProperties properties,
			ConnectionFactory connectionFactory) {
		EventListenerProperties.Management management = properties.getManagement();
		return ManagementApiBindings.of(management.getUrl(), connectionFactory, management.getUsername(),
				management.getPassword(), management.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	BindingAudit bindingAudit(ObserverRegistry registry, ObserverTypes types, QueueNames queueNames,
			BrokerBindings brokerBindings, BrokerTopology topology) {
		return new BindingAudit(registry, types, queueNames, brokerBindings, topology);
	}

	@Bean
	@ConditionalOnMissingBean
	BindingAuditAtResync bindingAuditAtResync(BindingAudit audit, EventListenerProperties properties) {
		return new BindingAuditAtResync(audit, properties.getResync().isRemoveStrayBindings());
	}

}
