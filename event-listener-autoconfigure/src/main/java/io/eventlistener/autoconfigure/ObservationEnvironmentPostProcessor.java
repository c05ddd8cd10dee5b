package io.eventlistener.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code event-listener.observation.enabled=true} into Spring Boot's own
 * observation settings for listener containers and the RabbitTemplate, as defaults of the
 * lowest precedence: Boot's auto-configuration and the event listener's container (which
 * Boot's container configurer sets up) then switch observations on, and any of Boot's
 * settings given explicitly still wins.
 */
public class ObservationEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String ENABLED = "event-listener.observation.enabled";

	static final List<String> BOOT_SETTINGS = List.of("spring.rabbitmq.listener.direct.observation-enabled",
			"spring.rabbitmq.listener.simple.observation-enabled", "spring.rabbitmq.template.observation-enabled");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(ENABLED, Boolean.class, false)) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		BOOT_SETTINGS.forEach((name) -> defaults.put(name, "true"));
		environment.getPropertySources().addLast(new MapPropertySource("event-listener-observation", defaults));
	}

}
