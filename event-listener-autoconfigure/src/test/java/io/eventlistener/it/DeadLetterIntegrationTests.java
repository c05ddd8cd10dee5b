package io.eventlistener.it;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.it.ObserverTestApplication.VotingExceptionHandler;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounded attempts, then the dead-letter queue: a poison message never loops, never stops
 * the messages behind it, and arrives in the dead-letter queue with its history. Run on
 * RabbitMQ 3.10 and 4.0.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RabbitBroker.class)
class DeadLetterIntegrationTests {

	private static final String[] FAST_RETRIES = { "event-listener.retry.initial-interval=20ms",
			"event-listener.retry.max-interval=50ms" };

	private final TestNamespace namespace;

	private long observer;

	private ConfigurableApplicationContext application;

	DeadLetterIntegrationTests(RabbitBroker rabbit) {
		this.namespace = TestNamespace.create(rabbit, Company.DDL);
	}

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void poisonMessageIsTriedMaxAttemptsThenDeadLetteredWhileTheOthersAreHandled() {
		start("event-listener.retry.max-attempts=3");
		EventPublisher publisher = this.application.getBean(EventPublisher.class);
		IntStream.rangeClosed(1, 20)
			.forEach((id) -> publisher
				.publish(Event.builder().eventful("User", id).action("create").parameter("poison", id == 13).build()));

		Message dead = receiveDeadLetter();
		RecordingHandler handler = this.application.getBean(RecordingHandler.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> handler.routingKeysFor(this.observer).size() == 19);
		assertThat(handler.routingKeysFor(this.observer)).doesNotContain("model.User.13.create");
		assertThat(handler.attempts("model.User.13.create")).isEqualTo(3);
		assertThat(dead.getMessageProperties().getReceivedRoutingKey()).isEqualTo("model.User.13.create");
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 3)
			.containsEntry(DeadLetterRecoverer.OBSERVER_HEADER, "Company#" + this.observer)
			.containsEntry(DeadLetterRecoverer.QUEUE_HEADER, observerQueue())
			.containsEntry(RepublishMessageRecoverer.X_ORIGINAL_EXCHANGE, this.namespace.eventsExchange());
		assertThat((String) dead.getMessageProperties().getHeader(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE))
			.contains("handler failure for company " + this.observer);
		assertThat(this.application.getBean("firstExceptionHandler", VotingExceptionHandler.class).failures).hasSize(3);
		assertThat(template().receive(deadLetterQueue())).isNull();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(observerQueue()).orElseThrow().messages() == 0);
	}

	@Test
	void retryModeNeverDeadLettersAfterTheFirstFailure() {
		start("event-listener.retry.mode=never");
		this.application.getBean(EventPublisher.class)
			.publish(Event.builder().eventful("User", 1).action("create").parameter("poison", true).build());
		Message dead = receiveDeadLetter();
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 1);
		assertThat(this.application.getBean(RecordingHandler.class).attempts("model.User.1.create")).isEqualTo(1);
	}

	@Test
	void retryModeVoteRetriesWhileEveryExceptionHandlerVotesYes() {
		start("event-listener.retry.mode=vote", "event-listener.retry.max-attempts=5");
		VotingExceptionHandler first = this.application.getBean("firstExceptionHandler", VotingExceptionHandler.class);
		VotingExceptionHandler second = this.application.getBean("secondExceptionHandler",
				VotingExceptionHandler.class);
		first.retryWhileAttemptBelow = 2;
		this.application.getBean(EventPublisher.class)
			.publish(Event.builder().eventful("User", 1).action("create").parameter("poison", true).build());
		Message dead = receiveDeadLetter();
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 2);
		// the first handler's "no" on attempt 2 does not stop the second from hearing
		// about it
		assertThat(first.failures).extracting((failure) -> failure.attempt()).containsExactly(1, 2);
		assertThat(second.failures).extracting((failure) -> failure.attempt()).containsExactly(1, 2);
		assertThat(second.failures).allSatisfy((failure) -> {
			assertThat(failure.queueName()).isEqualTo(observerQueue());
			assertThat(((Company) failure.observer()).getId()).isEqualTo(this.observer);
			assertThat(failure.event().routingKey()).isEqualTo("model.User.1.create");
		});
	}

	@Test
	void malformedBodyIsDeadLetteredWithoutReachingTheHandler() {
		start();
		template().send(this.namespace.eventsExchange(), "model.User.1.create",
				new Message("{nope".getBytes(), new MessageProperties()));
		Message dead = receiveDeadLetter();
		assertThat(new String(dead.getBody())).isEqualTo("{nope");
		assertThat((String) dead.getMessageProperties().getHeader(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE))
			.contains("not JSON");
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterRecoverer.ATTEMPTS_HEADER, 1);
		assertThat(this.application.getBean(RecordingHandler.class).attempts("model.User.1.create")).isZero();
	}

	@Test
	void theStackTraceIsDeadLetteredOnlyWhenSwitchedOn() {
		start("event-listener.retry.mode=never", "event-listener.dead-letter.include-stack-trace=true");
		this.application.getBean(RecordingHandler.class).failFor(this.observer);
		template().convertAndSend(this.namespace.eventsExchange(), "model.User.7.create",
				"{\"type\":\"model\",\"action\":\"create\"}");

		Message dead = receiveDeadLetter();
		assertThat(String
			.valueOf(dead.getMessageProperties().<Object>getHeader(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE)))
			.contains("at io.eventlistener.it.RecordingHandler.handle")
			.hasSizeLessThanOrEqualTo(DeadLetterRecoverer.STACK_TRACE_LENGTH);
	}

	private void start(String... properties) {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('c', true, 'model.User.*.create')");
		this.observer = this.namespace.queryForLong("select id from company where name = 'c'");
		String[] all = java.util.stream.Stream
			.concat(java.util.Arrays.stream(FAST_RETRIES), java.util.Arrays.stream(properties))
			.toArray(String[]::new);
		this.application = this.namespace.start(ObserverTestApplication.class, all);
	}

	private Message receiveDeadLetter() {
		Message dead = template().receive(deadLetterQueue(), 30_000);
		assertThat(dead).as("a message in the dead-letter queue").isNotNull();
		return dead;
	}

	private RabbitTemplate template() {
		return this.application.getBean(RabbitTemplate.class);
	}

	private String deadLetterQueue() {
		return this.namespace.queuePrefix() + ".dead-letter";
	}

	private String observerQueue() {
		return this.namespace.queuePrefix() + ".company." + this.observer;
	}

	static Map<String, Object> headers(Message message) {
		return message.getMessageProperties().getHeaders();
	}

}
