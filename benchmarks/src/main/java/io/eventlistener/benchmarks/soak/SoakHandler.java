package io.eventlistener.benchmarks.soak;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;
import io.eventlistener.benchmarks.app.Subscriber;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Handles an event the way most applications do, by asking the database something first,
 * so a database cut reaches the handlers; then records its sequence number (the event's
 * {@code eventful_id}).
 */
public class SoakHandler implements EventHandler<Subscriber> {

	private final JdbcTemplate jdbc;

	private final Deliveries deliveries;

	public SoakHandler(JdbcTemplate jdbc, Deliveries deliveries) {
		this.jdbc = jdbc;
		this.deliveries = deliveries;
	}

	@Override
	public void handle(Subscriber observer, Event event) {
		this.jdbc.queryForObject("select 1", Integer.class);
		String seq = event.eventfulId();
		if (seq != null) {
			this.deliveries.handled(Integer.parseInt(seq));
		}
	}

}
