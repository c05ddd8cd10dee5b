package io.eventlistener.handling;

import java.nio.charset.StandardCharsets;

import io.eventlistener.metrics.EventListenerMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bytes isimud publishes for an event, and the delivery counter by outcome, for the
 * tests of this package.
 */
final class IsimudEvents {

	private IsimudEvents() {
	}

	/**
	 * isimud's JSON for an event with a routing key {@code type.EventfulType.id.action}.
	 * @param routingKey the routing key the event's fields are taken from
	 * @param parameters the {@code parameters} object, as JSON
	 * @return the body
	 */
	static byte[] body(String routingKey, String parameters) {
		String[] parts = routingKey.split("\\.");
		return ("{\"type\":\"" + parts[0] + "\",\"action\":\"" + parts[3] + "\",\"user_id\":null,"
				+ "\"occurred_at\":\"2026-12-02T02:00:00.000Z\",\"eventful_type\":\"" + parts[1] + "\",\"eventful_id\":"
				+ parts[2] + ",\"session_id\":null,\"parameters\":" + parameters + "}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * @return the deliveries counted with an outcome, all types together
	 */
	static double count(MeterRegistry meters, String outcome) {
		Counter counter = meters.find(EventListenerMeters.EVENTS).tag(EventListenerMeters.OUTCOME, outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
