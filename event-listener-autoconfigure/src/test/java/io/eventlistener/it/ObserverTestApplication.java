package io.eventlistener.it;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.eventlistener.Event;
import io.eventlistener.EventQueueBinding;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application the integration tests start: one observer entity, its recording
 * handler, and an application-defined queue.
 */
@SpringBootApplication
public class ObserverTestApplication {

	@Bean
	RecordingHandler companyEvents() {
		return new RecordingHandler();
	}

	@Bean
	AuditQueue auditQueue() {
		return new AuditQueue();
	}

	@Bean
	EventQueueBinding auditBinding(AuditQueue auditQueue, org.springframework.core.env.Environment environment) {
		return EventQueueBinding.of(environment.getProperty("event-listener.queue-prefix") + ".audit",
				List.of("audit.#"), auditQueue.events::add);
	}

	/**
	 * The events the application's own queue received.
	 */
	public static class AuditQueue {

		public final Queue<Event> events = new ConcurrentLinkedQueue<>();

	}

}
