package io.eventlistener.actuate;

import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.logging.LogSanitizer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of consuming against outages, named {@code eventListenerOutage}:
 * {@code OUT_OF_SERVICE} with the reason while consuming is paused because a resource the
 * handlers need is down (events wait in their queues), {@code UP} otherwise; details say
 * how many pauses there were. Answers from memory.
 */
public class OutageHealthIndicator implements HealthIndicator {

	private final OutagePause outagePause;

	/**
	 * Create a new {@code OutageHealthIndicator}.
	 * @param outagePause the outage pause
	 */
	public OutageHealthIndicator(OutagePause outagePause) {
		this.outagePause = outagePause;
	}

	@Override
	public Health health() {
		Health.Builder builder = this.outagePause.current()
			.map((paused) -> Health.outOfService()
				.withDetail("paused", true)
				.withDetail("reason", LogSanitizer.sanitize(paused.reason()))
				.withDetail("since", paused.since().toString()))
			.orElseGet(() -> Health.up().withDetail("paused", false));
		return builder.withDetail("pauses", this.outagePause.pauses()).build();
	}

}
