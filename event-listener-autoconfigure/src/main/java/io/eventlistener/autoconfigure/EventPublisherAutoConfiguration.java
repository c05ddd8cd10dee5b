package io.eventlistener.autoconfigure;

import io.eventlistener.EventPublisher;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.lifecycle.StarterConnections;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;

/**
 * Publishing isimud events: the durable topic exchanges, the JSON codec and a confirming
 * {@link EventPublisher} that goes through the transactional outbox when
 * {@link EventOutboxAutoConfiguration} provides one. Needs only AMQP.
 * <p>
 * The starter publishes on a connection factory of its own,
 * {@value #PUBLISHER_CONNECTION_FACTORY_BEAN_NAME}, made like the application's (Boot's
 * {@code spring.rabbitmq.*} connection settings apply) but with correlated publisher
 * confirms: the application's {@code spring.rabbitmq.publisher-confirm-type} is its own
 * and is left as it is. That factory is not a candidate for injection by type, so the
 * application's {@code ConnectionFactory} stays the only one it sees.
 */
@AutoConfiguration(afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass(value = RabbitTemplate.class,
		name = "org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer")
@ConditionalOnBean(RabbitTemplate.class)
@ConditionalOnEventListenerEnabled
@EnableConfigurationProperties(EventListenerProperties.class)
@Import(EventListenerTaskConfiguration.class)
public final class EventPublisherAutoConfiguration {

	/** The name of the starter's publishing connection factory. */
	public static final String PUBLISHER_CONNECTION_FACTORY_BEAN_NAME = "eventListenerPublisherConnectionFactory";

	@Bean
	@ConditionalOnMissingBean
	EventCodec eventCodec(EventListenerProperties properties) {
		return properties.getConsumer().codec();
	}

	@Bean
	@ConditionalOnMissingBean(name = "eventListenerExchanges")
	Declarables eventListenerExchanges(EventListenerProperties properties) {
		return new Declarables(new TopicExchange(properties.getExchanges().getEvents(), true, false),
				new TopicExchange(properties.getExchanges().getModels(), true, false));
	}

	/**
	 * The starter's own publishing connection, with correlated confirms whatever the
	 * application's {@code publisher-confirm-type} is; not a default candidate for
	 * injection, so it never competes with the application's {@code ConnectionFactory}.
	 */
	@Bean(name = PUBLISHER_CONNECTION_FACTORY_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = PUBLISHER_CONNECTION_FACTORY_BEAN_NAME)
	CachingConnectionFactory eventListenerPublisherConnectionFactory(ConnectionFactory connectionFactory,
			ObjectProvider<CachingConnectionFactoryConfigurer> configurer) {
		return StarterConnections.publishing(
				StarterConnections.template(connectionFactory, "The event publisher",
						"Define a CachingConnectionFactory bean named " + PUBLISHER_CONNECTION_FACTORY_BEAN_NAME
								+ " with correlated publisher confirms instead."),
				(connection) -> configurer.ifAvailable((boot) -> boot.configure(connection)));
	}

	/** Lets a failed start end the JVM at once (see the closer). */
	@Bean
	FailedStartConnectionCloser eventListenerFailedStartConnectionCloser(ApplicationContext context,
			ConnectionFactory connectionFactory,
			@Qualifier(PUBLISHER_CONNECTION_FACTORY_BEAN_NAME) ConnectionFactory publisherConnectionFactory) {
		return new FailedStartConnectionCloser(context, connectionFactory, publisherConnectionFactory);
	}

	/**
	 * The publishing side built together on the starter's publishing connection: the
	 * confirmed sender, the outbox and, with an outbox table, the relay that sends what
	 * waited as soon as the broker unblocks or a publishing connection is made. It is the
	 * sender's listener for the broker's blocked events and the relay's lifecycle; health
	 * and metrics read the sender's blocking from it.
	 */
	@Bean
	@ConditionalOnMissingBean
	EventPublishingAssembly eventPublishingAssembly(EventCodec codec, EventListenerProperties properties,
			@Qualifier(PUBLISHER_CONNECTION_FACTORY_BEAN_NAME) ConnectionFactory publisherConnectionFactory,
			ObjectProvider<RabbitTemplateConfigurer> configurer, ObjectProvider<EventOutboxSchemaInitializer> schema,
			@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
			ApplicationContext context, Environment environment) {
		return properties
			.applyTo(EventPublishingAssembly.builder(codec, properties.getExchanges().getEvents()), environment)
			.sender(PublisherTemplates.create(publisherConnectionFactory, configurer, context, environment),
					EventListenerThreads.pooled("publisher"), EventListenerThreads.pooled("async-publisher"))
			.relay(() -> schema.ifAvailable(EventOutboxSchemaInitializer::initialize), scheduler,
					publisherConnectionFactory)
			.observations(StarterObservations.registry(context, environment))
			.build(context);
	}

	@Bean
	@ConditionalOnMissingBean
	EventPublisher eventPublisher(EventPublishingAssembly publishing) {
		return publishing.publisher();
	}

}
