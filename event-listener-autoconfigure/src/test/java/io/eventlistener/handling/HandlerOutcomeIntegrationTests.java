package io.eventlistener.handling;

import java.time.Duration;
import java.util.Objects;

import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.handling.OutcomeApplication.ScriptedHandler;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler's own outcomes, published by a raw client with isimud's bytes: a requeue is
 * tried again after a back-off and is no failure, at most the configured number of times,
 * then dead-lettered; a rejection is dead-lettered at once, whatever the retry settings.
 */
class HandlerOutcomeIntegrationTests {

	private static final String[] SETTINGS = { "event-listener.retry.max-attempts=3",
			"event-listener.retry.initial-interval=20ms", "event-listener.requeue.max-requeues=3",
			"event-listener.requeue.initial-interval=50ms", "event-listener.requeue.max-interval=200ms" };

	private final TestNamespace namespace = TestNamespace.create(Account.DDL,
			"insert into account (id, routing_keys) values (1, 'model.User.*.create')");

	private ConfigurableApplicationContext application;

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void requeuedEventIsTriedAgainAndHandledWithoutCountingAsAFailure() {
		start();
		long start = System.nanoTime();
		publish("model.User.1.create", "{\"requeue\":2}");

		ScriptedHandler handler = this.application.getBean(ScriptedHandler.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> handler.handled.containsKey("model.User.1.create"));
		assertThat(handler.calls("model.User.1.create")).isEqualTo(3);
		// two back-offs, 50 ms then 100 ms: never tried again at once
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
		assertThat(this.application.getBean(ErrorBudget.class).errorsInWindow()).isZero();
		assertThat(count(EventListenerMeters.REQUEUED)).isEqualTo(2);
		assertThat(count(EventListenerMeters.FAILED)).isZero();
		assertThat(count(EventListenerMeters.HANDLED)).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.namespace.broker().queue(observerQueue()).orElseThrow().messages() == 0);
		assertThat(template().receive(deadLetterQueue())).isNull();
	}

	@Test
	void eventRequeuedPastTheBoundIsDeadLetteredAndTheNextIsHandled() {
		start();
		publish("model.User.1.create", "{\"requeue\":-1}");
		publish("model.User.2.create", "{}");

		Message dead = receiveDeadLetter();
		ScriptedHandler handler = this.application.getBean(ScriptedHandler.class);
		// the first call and three requeues
		assertThat(handler.calls("model.User.1.create")).isEqualTo(4);
		assertThat(dead.getMessageProperties().getReceivedRoutingKey()).isEqualTo("model.User.1.create");
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterRecoverer.REQUEUES_HEADER, 3)
			.containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 1)
			.containsEntry(DeadLetterRecoverer.OBSERVER_HEADER, "Account#1");
		assertThat((String) dead.getMessageProperties().getHeader(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE))
			.contains("still requeued after 3 requeue(s)")
			.contains("index not ready");
		await().atMost(Duration.ofSeconds(10)).until(() -> handler.handled.containsKey("model.User.2.create"));
		assertThat(this.application.getBean(ErrorBudget.class).errorsInWindow()).isZero();
		assertThat(count(EventListenerMeters.REQUEUED)).isEqualTo(4);
		assertThat(count(EventListenerMeters.DEAD_LETTERED)).isEqualTo(1);
		assertThat(template().receive(deadLetterQueue())).isNull();
	}

	@Test
	void rejectedEventIsDeadLetteredAtOnceWithoutRetries() {
		start();
		publish("model.User.1.create", "{\"reject\":true}");

		Message dead = receiveDeadLetter();
		ScriptedHandler handler = this.application.getBean(ScriptedHandler.class);
		assertThat(handler.calls("model.User.1.create")).isEqualTo(1);
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 1)
			.doesNotContainKey(DeadLetterRecoverer.REQUEUES_HEADER);
		assertThat((String) dead.getMessageProperties().getHeader(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE))
			.contains("unknown plan");
		assertThat(this.application.getBean(ErrorBudget.class).errorsInWindow()).isZero();
		assertThat(count(EventListenerMeters.REJECTED)).isEqualTo(1);
		assertThat(count(EventListenerMeters.FAILED)).isZero();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.namespace.broker().queue(observerQueue()).orElseThrow().messages() == 0);
	}

	private void start() {
		this.application = this.namespace.start(OutcomeApplication.class, SETTINGS);
	}

	/**
	 * Publish as isimud does: no content type, no message id, persistent.
	 */
	private void publish(String routingKey, String parameters) {
		RawAmqp.publish(this.namespace.eventsExchange(), routingKey, IsimudEvents.body(routingKey, parameters));
	}

	private double count(String outcome) {
		return IsimudEvents.count(this.application.getBean(MeterRegistry.class), outcome);
	}

	private Message receiveDeadLetter() {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> template().receive(deadLetterQueue()), Objects::nonNull);
	}

	private RabbitTemplate template() {
		return this.application.getBean(RabbitTemplate.class);
	}

	private String deadLetterQueue() {
		return this.namespace.queuePrefix() + ".dead-letter";
	}

	private String observerQueue() {
		return this.namespace.queuePrefix() + ".account.1";
	}

}
