package io.eventlistener.autoconfigure;

import java.time.Clock;

import io.eventlistener.actuate.DeadLetterEndpoint;
import io.eventlistener.lifecycle.StarterConnections;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.replay.DeadLetterReplayer;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaying dead letters: the {@link DeadLetterReplayer} and, when the actuator is there
 * and the endpoint available, the {@code eventlistenerdeadletters} endpoint.
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnBean({ ConnectionFactory.class, QueueNames.class })
@ConditionalOnBooleanProperty(name = "event-listener.dead-letter.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventListenerProperties.class)
public final class DeadLetterReplayAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeadLetterReplayer deadLetterReplayer(ConnectionFactory connectionFactory, QueueNames queueNames,
			EventListenerProperties properties) {
		AbstractConnectionFactory factory = StarterConnections.template(connectionFactory, "Replaying dead letters",
				"Define a DeadLetterReplayer bean yourself.");
		return new DeadLetterReplayer(factory.getRabbitConnectionFactory(),
				properties.getDeadLetter().queueOrDefault(queueNames), queueNames.prefix() + ".dead-letter-replay",
				properties.getPublisher().getConfirmTimeout());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
	static class Endpoint {

		// on the method, not the class: its condition class must not be loaded when the
		// class-level @ConditionalOnClass finds no actuator
		@Bean
		@ConditionalOnAvailableEndpoint(DeadLetterEndpoint.class)
		@ConditionalOnMissingBean
		DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplayer replayer, ObjectProvider<Clock> clock) {
			return new DeadLetterEndpoint(replayer, clock.getIfAvailable(Clock::systemUTC));
		}

	}

}
