package io.eventlistener.actuate;

import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.outbox.BrokerBlocking;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of publishing, named {@code eventListenerPublisher}: {@code OUT_OF_SERVICE} with
 * the broker's reason while the broker blocks this application's publishers (a memory or
 * disk alarm: events are refused, or wait in the outbox), {@code UP} otherwise. Answers
 * from memory, never from the broker.
 */
public class PublisherHealthIndicator implements HealthIndicator {

	private final BrokerBlocking blocking;

	/**
	 * Create a new {@code PublisherHealthIndicator}.
	 * @param blocking tells whether the broker blocks publishers
	 */
	public PublisherHealthIndicator(BrokerBlocking blocking) {
		this.blocking = blocking;
	}

	@Override
	public Health health() {
		return this.blocking.current()
			.map((blocked) -> Health.outOfService()
				.withDetail("blocked", true)
				.withDetail("reason", "The broker is blocking publishers: " + LogSanitizer.sanitize(blocked.reason()))
				.withDetail("since", blocked.since().toString())
				.build())
			.orElseGet(() -> Health.up().withDetail("blocked", false).build());
	}

}
