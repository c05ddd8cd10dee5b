package io.eventlistener.autoconfigure;

import io.eventlistener.outbox.PublisherIdentity;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the publisher id comes from: {@code event-listener.publisher.id}, else
 * {@code spring.application.name}, else none; the timestamp is on unless switched off.
 */
class PublisherIdentitySettingsTests {

	@Test
	void defaultsToTheApplicationNameWithATimestamp() {
		assertThat(identity(new EventListenerProperties(), "billing"))
			.isEqualTo(new PublisherIdentity("billing", true));
	}

	@Test
	void theConfiguredIdWins() {
		EventListenerProperties properties = new EventListenerProperties();
		properties.getPublisher().setId("billing-eu");
		properties.getPublisher().setTimestamp(false);
		assertThat(identity(properties, "billing")).isEqualTo(new PublisherIdentity("billing-eu", false));
	}

	@Test
	void withoutEitherNoAppIdIsSet() {
		assertThat(identity(new EventListenerProperties(), null).publisherId()).isNull();
	}

	private static PublisherIdentity identity(EventListenerProperties properties, String applicationName) {
		MockEnvironment environment = new MockEnvironment();
		if (applicationName != null) {
			environment.setProperty("spring.application.name", applicationName);
		}
		return properties.publisherIdentity(environment);
	}

}
