package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.util.Objects;

import io.eventlistener.actuate.DeadLetterEndpoint;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.replay.DeadLetterReplayer;
import io.eventlistener.replay.ReplayTargets;

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
			EventListenerProperties properties, ObjectProvider<ObserverRegistry> registry) {
		if (!(connectionFactory instanceof AbstractConnectionFactory factory)) {
			throw new IllegalStateException("Replaying dead letters opens a connection of its own, made like the "
					+ "application's; it needs a Spring AMQP AbstractConnectionFactory, not a "
					+ connectionFactory.getClass().getName() + ". Define a DeadLetterReplayer bean yourself.");
		}
		String queue = Objects.requireNonNullElse(properties.getDeadLetter().getQueue(),
				queueNames.prefix() + ".dead-letter");
		return new DeadLetterReplayer(factory.getRabbitConnectionFactory(), queue,
				queueNames.prefix() + ".dead-letter-replay", properties.getPublisher().getConfirmTimeout(),
				ReplayTargets.of(properties.getExchanges().getEvents(), queueNames.prefix(), registry.getObject()));
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
