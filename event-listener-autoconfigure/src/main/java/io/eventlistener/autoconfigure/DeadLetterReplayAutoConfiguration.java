package io.eventlistener.autoconfigure;

import io.eventlistener.lifecycle.StarterConnections;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.replay.DeadLetterReplayer;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Replaying dead letters: the {@link DeadLetterReplayer}; its endpoint is in
 * {@link EventListenerEndpointAutoConfiguration}.
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnBean({ ConnectionFactory.class, QueueNames.class })
@ConditionalOnBooleanProperty(name = "event-listener.dead-letter.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventListenerProperties.class)
public final class DeadLetterReplayAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeadLetterReplayer deadLetterReplayer(ConnectionFactory connectionFactory, QueueNames queueNames,
			EventListenerProperties properties, ObjectProvider<ObserverRegistry> registry) {
		return properties.deadLetterReplayer(StarterConnections
			.template(connectionFactory, "Replaying dead letters", "Define a DeadLetterReplayer bean yourself.")
			.getRabbitConnectionFactory(), queueNames, registry.getObject());
	}

}
