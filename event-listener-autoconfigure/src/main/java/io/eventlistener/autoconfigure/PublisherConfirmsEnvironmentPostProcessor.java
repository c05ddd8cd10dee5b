package io.eventlistener.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults {@code spring.rabbitmq.publisher-confirm-type} to {@code correlated}, because
 * the event publisher waits for every confirm. The default has the lowest precedence: a
 * value the application sets wins, and a value other than {@code correlated} makes the
 * publisher fail at start-up with an explanation.
 */
public class PublisherConfirmsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String CONFIRM_TYPE = "spring.rabbitmq.publisher-confirm-type";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.containsProperty(CONFIRM_TYPE)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("event-listener-defaults", Map.of(CONFIRM_TYPE, "correlated")));
		}
	}

}
