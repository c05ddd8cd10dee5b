package io.eventlistener.handling;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

import io.eventlistener.Event;
import io.eventlistener.EventFilter;
import io.eventlistener.EventHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application whose handler wants only created or updated gold-plan events from the
 * billing publisher.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class FilterApplication {

	@Bean
	GoldPlanHandler goldPlanEvents() {
		return new GoldPlanHandler();
	}

	/**
	 * Records the events it is called with.
	 */
	public static class GoldPlanHandler implements EventHandler<Account> {

		public final Queue<Event> handled = new ConcurrentLinkedQueue<>();

		@Override
		public void handle(Account account, Event event) {
			this.handled.add(event);
		}

		@Override
		public EventFilter filter() {
			return EventFilter.builder()
				.field("action", Pattern.compile("create|update"))
				.field("parameters.plan", "gold")
				.field("publisher_id", "billing")
				.build();
		}

	}

}
