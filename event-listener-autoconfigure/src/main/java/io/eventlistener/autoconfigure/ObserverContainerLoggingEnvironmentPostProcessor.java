package io.eventlistener.autoconfigure;

import java.util.Map;

import io.eventlistener.registry.ObserverContainer;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Switches off the logger of the observer queues' listener containers
 * ({@code logging.level.io.eventlistener.registry.ObserverContainer=off}), as a default
 * of the lowest precedence that any setting of the application wins over. Spring AMQP's
 * container logs routine moments of observers as ERROR with stack traces (a queue deleted
 * with its observer, a delivery returned while stopping or unregistering); the event
 * listener reports each of them itself, once and rate-limited, under
 * {@code io.eventlistener}.
 */
public class ObserverContainerLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String LEVEL = "logging.level." + ObserverContainer.class.getName();

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addLast(new MapPropertySource("event-listener-container-logging", Map.of(LEVEL, "off")));
	}

}
