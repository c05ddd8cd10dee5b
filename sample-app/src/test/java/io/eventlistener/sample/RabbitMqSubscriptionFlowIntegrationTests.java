package io.eventlistener.sample;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	@Test
	void aRequestIsAnsweredByTheMatchingSubscriptionNamingItsPublisher() {
		SampleApi api = new SampleApi(port());
		long quotes = api.createSubscription("quotes", "model.Quote.*.ask");
		await().atMost(Duration.ofSeconds(30)).until(() -> api.isRegistered(quotes));

		JsonNode answer = api.request("Quote", "9", "ask");

		assertThat(answer.get("routingKey").asString()).isEqualTo("model.Quote.9.ask");
		assertThat(answer.get("reply").get("subscription").asLong()).isEqualTo(quotes);
		// the request named its publisher (app_id), and so did the reply
		assertThat(answer.get("reply").get("requestedBy").asString()).isEqualTo("sample-app");
		assertThat(answer.get("repliedBy").asString()).isEqualTo("sample-app");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(api.deliveries(quotes)).containsExactly("model.Quote.9.ask"));
	}

}
