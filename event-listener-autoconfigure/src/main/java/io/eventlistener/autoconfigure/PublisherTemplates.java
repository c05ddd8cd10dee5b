package io.eventlistener.autoconfigure;

import io.eventlistener.metrics.RoutingKeyTemplateObservationConvention;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The templates the starter publishes with (not beans), on its publishing connection: the
 * publisher's and the dead-letter recoverer's. Boot's {@code spring.rabbitmq.template.*}
 * settings apply through its {@link RabbitTemplateConfigurer}, and their observations are
 * on when {@link StarterObservations} says so, tagged by template and exchange.
 */
final class PublisherTemplates {

	/** The name of the template the publisher sends with (not a bean). */
	static final String PUBLISHER_TEMPLATE_NAME = "eventListenerPublisherTemplate";

	private PublisherTemplates() {
	}

	/**
	 * A template on the starter's publishing connection.
	 * @param publisherConnectionFactory the starter's publishing connection factory
	 * @param configurer the template settings of Boot's AMQP auto-configuration, if it
	 * ran
	 * @param applicationContext the context, so that its observations find the registry
	 * @param environment decides whether it is observed
	 * @return the template
	 */
	static RabbitTemplate create(ConnectionFactory publisherConnectionFactory,
			ObjectProvider<RabbitTemplateConfigurer> configurer, ApplicationContext applicationContext,
			Environment environment) {
		RabbitTemplate publishing = new RabbitTemplate(publisherConnectionFactory);
		// given the context by hand, so that its observations find the registry
		publishing.setBeanName(PUBLISHER_TEMPLATE_NAME);
		publishing.setApplicationContext(applicationContext);
		configurer.ifAvailable((bootSettings) -> bootSettings.configure(publishing, publisherConnectionFactory));
		if (StarterObservations.observed(applicationContext, environment)) {
			publishing.setObservationEnabled(true);
			publishing.setObservationConvention(new RoutingKeyTemplateObservationConvention());
		}
		return publishing;
	}

}
