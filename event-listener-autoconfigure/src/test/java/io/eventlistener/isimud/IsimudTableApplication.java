package io.eventlistener.isimud;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The Spring application that shares isimud's observer table with a Rails application:
 * the {@link RailsCompany} observers and a handler that records which numbered event each
 * observer handled.
 */
@SpringBootApplication
public class IsimudTableApplication {

	@Bean
	Handled handled() {
		return new Handled();
	}

	/**
	 * Every event handled, as {@code type:seq} ({@code kept:12}).
	 */
	static final class Handled implements EventHandler<RailsCompany> {

		private final Queue<String> events = new ConcurrentLinkedQueue<>();

		@Override
		public void handle(RailsCompany company, Event event) {
			this.events.add(event.type() + ":" + event.parameters().get("seq"));
		}

		List<String> events() {
			return List.copyOf(this.events);
		}

		List<Integer> sequenceNumbers(String type) {
			return this.events.stream()
				.filter((event) -> event.startsWith(type + ":"))
				.map((event) -> Integer.valueOf(event.substring(type.length() + 1)))
				.toList();
		}

	}

}
