package io.eventlistener.autoconfigure;

import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.audit.BindingAudit;
import io.eventlistener.audit.BrokerBindings;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The binding audit, when {@code event-listener.management.url} points at the broker's
 * management API: the {@link BindingAudit}, which also logs (and optionally removes) what
 * it finds at every resync; it reads the bindings through the management API unless the
 * application defines a {@link BrokerBindings} bean. Its endpoint is in
 * {@link EventListenerEndpointAutoConfiguration}.
 */
@AutoConfiguration(after = { EventListenerAutoConfiguration.class, ModelWatcherAutoConfiguration.class })
@ConditionalOnBean({ EventListenerAssembly.class, ConnectionFactory.class })
@ConditionalOnProperty(prefix = "event-listener.management", name = "url")
@EnableConfigurationProperties(EventListenerProperties.class)
public final class BindingAuditAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BindingAudit bindingAudit(EventListenerAssembly listener, ObjectProvider<BrokerBindings> brokerBindings,
			EventListenerProperties properties, ConnectionFactory connectionFactory) {
		BrokerBindings broker = brokerBindings
			.getIfAvailable(() -> properties.getManagement().bindings(connectionFactory));
		return new BindingAudit(listener.registry(), listener.types(), listener.queueNames(), broker,
				listener.topology())
			.auditAtEveryResync(properties.getResync().isRemoveStrayBindings());
	}

}
