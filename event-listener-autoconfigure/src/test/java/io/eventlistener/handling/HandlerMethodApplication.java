package io.eventlistener.handling;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.Event;
import io.eventlistener.EventObserverHandler;
import io.eventlistener.EventObserverHandler.Match;
import io.eventlistener.EventOutcome;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application whose only handler is an annotated method: created and updated gold-plan
 * events, requeued once when {@code requeueOnce} is set, rejected when {@code reject} is.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class HandlerMethodApplication {

	@Bean
	AccountEvents accountEvents() {
		return new AccountEvents();
	}

	/**
	 * A plain bean with a handler method.
	 */
	public static class AccountEvents {

		public final Queue<Event> handled = new ConcurrentLinkedQueue<>();

		public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		@EventObserverHandler(action = { "create", "update" },
				where = @Match(field = "parameters.plan", value = "gold"))
		EventOutcome on(Account account, Event event) {
			int call = this.calls.computeIfAbsent(event.routingKey(), (key) -> new AtomicInteger()).incrementAndGet();
			if (Boolean.TRUE.equals(event.parameters().get("requeueOnce")) && call == 1) {
				return EventOutcome.REQUEUE;
			}
			if (Boolean.TRUE.equals(event.parameters().get("reject"))) {
				return EventOutcome.REJECT;
			}
			this.handled.add(event);
			return EventOutcome.HANDLED;
		}

	}

}
