package io.eventlistener.outbox;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PublisherIdentity}: what it sets, and that {@link PublisherIdentity#NONE} sets
 * nothing, as isimud publishes.
 */
class PublisherIdentityTests {

	private static final Instant PUBLISHED = Instant.parse("2026-12-02T03:04:05Z");

	@Test
	void setsTheAppIdAndTheTimestamp() {
		MessageProperties properties = new MessageProperties();
		new PublisherIdentity("billing", true).applyTo(properties, PUBLISHED);
		assertThat(properties.getAppId()).isEqualTo("billing");
		assertThat(properties.getTimestamp().toInstant()).isEqualTo(PUBLISHED);
	}

	@Test
	void timestampCanBeLeftOut() {
		MessageProperties properties = new MessageProperties();
		new PublisherIdentity("billing", false).applyTo(properties, PUBLISHED);
		assertThat(properties.getAppId()).isEqualTo("billing");
		assertThat(properties.getTimestamp()).isNull();
	}

	@Test
	void noneSetsNothing() {
		MessageProperties properties = new MessageProperties();
		PublisherIdentity.NONE.applyTo(properties, PUBLISHED);
		assertThat(properties.getAppId()).isNull();
		assertThat(properties.getTimestamp()).isNull();
	}

}
