package io.eventlistener.it;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.eventlistener.Event;
import io.eventlistener.EventExceptionHandler;
import io.eventlistener.EventFailure;
import io.eventlistener.EventQueueBinding;

import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

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
	 * Names this application's broker connections after its queue prefix, so a test can
	 * have the broker close exactly them.
	 */
	@Bean
	ConnectionNameStrategy connectionNames(org.springframework.core.env.Environment environment) {
		return (connectionFactory) -> environment.getProperty("event-listener.queue-prefix", "test") + "-app";
	}

	@Bean
	@Order(1)
	VotingExceptionHandler firstExceptionHandler() {
		return new VotingExceptionHandler();
	}

	@Bean
	@Order(2)
	VotingExceptionHandler secondExceptionHandler() {
		return new VotingExceptionHandler();
	}

	public static void main(String[] args) {
		SpringApplication.run(ObserverTestApplication.class, args);
	}

	/**
	 * Records the failures it sees and votes as told (yes by default).
	 */
	public static class VotingExceptionHandler implements EventExceptionHandler {

		public final Queue<EventFailure> failures = new ConcurrentLinkedQueue<>();

		public volatile int retryWhileAttemptBelow = Integer.MAX_VALUE;

		@Override
		public boolean handle(EventFailure failure) {
			this.failures.add(failure);
			return failure.attempt() < this.retryWhileAttemptBelow;
		}

	}

	/**
	 * The events the application's own queue received.
	 */
	public static class AuditQueue {

		public final Queue<Event> events = new ConcurrentLinkedQueue<>();

	}

}
