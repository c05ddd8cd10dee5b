package io.eventlistener.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code rabbitmq} profile: the local RabbitMQ and PostgreSQL, in a schema and
 * exchanges of this test's own.
 */
class RabbitMqSubscriptionFlowIntegrationTests extends SubscriptionFlowTests {

	private static SampleNamespace services;

	@BeforeAll
	static void start() {
		services = SampleNamespace.start(SampleApplication.class);
	}

	@AfterAll
	static void stop() {
		if (services != null) {
			services.close();
		}
	}

	@Override
	int port() {
		return services.port();
	}

	@Override
	ApplicationContext context() {
		return services.application();
	}

	@Test
	void runsOnRabbitMqAndPostgresqlWithDeadLettering() {
		assertThat(services.application().containsBean("embeddedAmqpBroker")).isFalse();
		assertThat(services.application().getEnvironment().getProperty("spring.rabbitmq.port")).isEqualTo("5672");
		assertThat(services.application().getEnvironment().getProperty("spring.datasource.url"))
			.startsWith("jdbc:postgresql://127.0.0.1:5432/test");
		assertThat(services.application().getEnvironment().getProperty("event-listener.dead-letter.enabled", "true"))
			.isEqualTo("true");
	}

}
