package io.eventlistener.autoconfigure;

import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.testsupport.NoBroker;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter changes nothing the application owns: its {@code spring.rabbitmq.*} and
 * logging settings stay as the application gave them, and the starter's own publisher
 * gets its publisher confirms from a connection factory of its own. Needs no services.
 */
class GoodGuestTests {

	private static final String CONFIRM_TYPE = "spring.rabbitmq.publisher-confirm-type";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, EventPublisherAutoConfiguration.class))
		.withPropertyValues(NoBroker.propertyValues());

	@Test
	void startingAnApplicationAddsNoSettings() {
		// a SpringApplication runs every EnvironmentPostProcessor on the classpath
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
			.web(WebApplicationType.NONE)
			.run("--event-listener.observation.enabled=true")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.containsProperty(CONFIRM_TYPE)).isFalse();
			assertThat(environment.containsProperty("spring.rabbitmq.listener.direct.observation-enabled")).isFalse();
			assertThat(environment.containsProperty("spring.rabbitmq.listener.simple.observation-enabled")).isFalse();
			assertThat(environment.containsProperty("spring.rabbitmq.template.observation-enabled")).isFalse();
			assertThat(environment.containsProperty("logging.level.io.eventlistener.registry.ObserverContainer"))
				.isFalse();
			assertThat(environment.getPropertySources().stream().map((source) -> source.getName()))
				.noneMatch((name) -> name.startsWith("event-listener"));
		}
	}

	@Test
	void theStartersPublisherConfirmsWhileTheApplicationsConnectionDoesNot() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EventPublishingAssembly.class);
			assertThat(context.getEnvironment().containsProperty(CONFIRM_TYPE)).isFalse();
			// the application's connection factory: Boot's default, no confirms, and
			// still the only one injected by type
			assertThat(context.getBean(ConnectionFactory.class).isPublisherConfirms()).isFalse();
			// correlated confirms
			assertThat(publisherConnectionFactory(context).isPublisherConfirms()).isTrue();
		});
	}

	@Test
	void theApplicationsOwnConfirmTypeStays() {
		this.runner.withPropertyValues(CONFIRM_TYPE + "=simple").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EventPublishingAssembly.class);
			assertThat(context.getEnvironment().getProperty(CONFIRM_TYPE)).isEqualTo("simple");
			assertThat(context.getBean(ConnectionFactory.class).isSimplePublisherConfirms()).isTrue();
			// correlated confirms
			assertThat(publisherConnectionFactory(context).isPublisherConfirms()).isTrue();
		});
	}

	private static CachingConnectionFactory publisherConnectionFactory(ApplicationContext context) {
		return context.getBean(EventPublisherAutoConfiguration.PUBLISHER_CONNECTION_FACTORY_BEAN_NAME,
				CachingConnectionFactory.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
