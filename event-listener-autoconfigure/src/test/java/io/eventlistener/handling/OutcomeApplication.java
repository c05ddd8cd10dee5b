package io.eventlistener.handling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;
import io.eventlistener.EventRejectedException;
import io.eventlistener.EventRequeueException;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application whose handler does what each event's parameters tell it:
 * {@code requeue: n} requeues the first n attempts ({@code -1}: every one),
 * {@code reject: true} rejects it. Not component-scanned, so the applications of this
 * package stay apart.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class OutcomeApplication {

	@Bean
	ScriptedHandler accountEvents() {
		return new ScriptedHandler();
	}

	/**
	 * Counts its calls per routing key and records the events it handled.
	 */
	public static class ScriptedHandler implements EventHandler<Account> {

		public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		public final Map<String, Event> handled = new ConcurrentHashMap<>();

		@Override
		public void handle(Account account, Event event) {
			int call = this.calls.computeIfAbsent(event.routingKey(), (key) -> new AtomicInteger()).incrementAndGet();
			Object requeue = event.parameters().get("requeue");
			if (requeue instanceof Integer times && (times < 0 || call <= times)) {
				throw new EventRequeueException("index not ready");
			}
			if (Boolean.TRUE.equals(event.parameters().get("reject"))) {
				throw new EventRejectedException("unknown plan");
			}
			this.handled.put(event.routingKey(), event);
		}

		public int calls(String routingKey) {
			AtomicInteger count = this.calls.get(routingKey);
			return (count != null) ? count.get() : 0;
		}

	}

}
