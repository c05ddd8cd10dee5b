package io.eventlistener.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observer containers' own logger is off unless the application says otherwise.
 */
class ObserverContainerLoggingEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void switchesTheContainerLoggerOffByDefault() {
		new ObserverContainerLoggingEnvironmentPostProcessor().postProcessEnvironment(this.environment,
				new SpringApplication());

		assertThat(this.environment.getProperty("logging.level.io.eventlistener.registry.ObserverContainer"))
			.isEqualTo("off");
	}

	@Test
	void theApplicationsOwnLevelWins() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of("logging.level.io.eventlistener.registry.ObserverContainer", "info")));

		new ObserverContainerLoggingEnvironmentPostProcessor().postProcessEnvironment(this.environment,
				new SpringApplication());

		assertThat(this.environment.getProperty("logging.level.io.eventlistener.registry.ObserverContainer"))
			.isEqualTo("info");
	}

}
