package io.eventlistener.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Micrometer observations of Spring AMQP, under {@code event-listener.observation}. Read
 * from the environment by {@link ObservationEnvironmentPostProcessor} before the
 * application context exists; this class documents the setting and generates its
 * metadata.
 */
@ConfigurationProperties("event-listener.observation")
public class EventListenerObservationProperties {

	/**
	 * Whether Spring AMQP's own observations are switched on: for the event listener's
	 * container, every other listener container and the RabbitTemplate the publisher
	 * uses. Shorthand for spring.rabbitmq.listener.direct.observation-enabled,
	 * spring.rabbitmq.listener.simple.observation-enabled and
	 * spring.rabbitmq.template.observation-enabled, each of which still wins when set.
	 */
	private boolean enabled;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
