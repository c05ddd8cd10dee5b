package io.eventlistener.it;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.eventlistener.Event;
import io.eventlistener.EventPublishException;
import io.eventlistener.EventPublisher;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.outbox.OutboxMessage;
import io.eventlistener.outbox.OutboxRepository;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events published inside a transaction travel with it: stored in the outbox in the same
 * transaction, sent after commit, never sent on rollback, and sent by the relay when the
 * after-commit send did not happen.
 */
class OutboxIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private ConfigurableApplicationContext application;

	private String probe;

	@BeforeEach
	void start() {
		this.application = this.namespace.start(ObserverTestApplication.class,
				"event-listener.outbox.relay-interval=200ms", "event-listener.outbox.retry-after=1s");
		this.probe = this.namespace.queuePrefix() + ".probe";
		RabbitAdmin admin = this.application.getBean(RabbitAdmin.class);
		Queue queue = new Queue(this.probe, true);
		admin.declareQueue(queue);
		admin.declareBinding(
				BindingBuilder.bind(queue).to(new TopicExchange(this.namespace.eventsExchange())).with("outbox.#"));
	}

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void eventPublishedInATransactionIsSentOnlyAfterCommit() {
		EventPublisher publisher = this.application.getBean(EventPublisher.class);
		transaction().executeWithoutResult((status) -> {
			publisher.publish(Event.builder().type("outbox").action("committed").build());
			assertThat(template().receive(this.probe)).as("nothing sent before commit").isNull();
		});
		Message sent = template().receive(this.probe, 10_000);
		assertThat(sent).isNotNull();
		assertThat(new EventCodec().read(sent.getBody()).routingKey()).isEqualTo("outbox.committed");
		assertThat(sent.getMessageProperties().getMessageId()).isNotBlank();
		assertThat(repository().count()).isZero();
		assertNoSecondCopy();
	}

	/**
	 * Nothing is left to send again, and the next message is one sent after: no copy of
	 * an earlier one came between (the after-commit send runs before the commit returns,
	 * and the relay holds nothing), without waiting a fixed time for one.
	 */
	private void assertNoSecondCopy() {
		assertThat(this.application.getBean(EventPublishingAssembly.class).relay().relay())
			.as("messages the relay sends again")
			.isZero();
		this.application.getBean(EventPublisher.class).publish(Event.builder().type("outbox").action("marker").build());
		Message next = template().receive(this.probe, 10_000);
		assertThat(next).isNotNull();
		assertThat(new EventCodec().read(next.getBody()).routingKey()).as("the message after the one sent")
			.isEqualTo("outbox.marker");
	}

	@Test
	void rolledBackTransactionSendsNothing() {
		EventPublisher publisher = this.application.getBean(EventPublisher.class);
		transaction().executeWithoutResult((status) -> {
			publisher.publish(Event.builder().type("outbox").action("rolled-back").build());
			status.setRollbackOnly();
		});
		publisher.publish(Event.builder().type("outbox").action("after").build());
		Message first = template().receive(this.probe, 10_000);
		assertThat(new EventCodec().read(first.getBody()).routingKey()).isEqualTo("outbox.after");
		assertThat(template().receive(this.probe)).isNull();
		assertThat(repository().count()).isZero();
	}

	@Test
	void asyncPublishInATransactionCompletesAfterCommitOnceConfirmed() {
		EventPublisher publisher = this.application.getBean(EventPublisher.class);
		CompletableFuture<Void> outcome = transaction().execute((status) -> {
			CompletableFuture<Void> publishing = publisher
				.publishAsync(Event.builder().type("outbox").action("async-committed").build());
			assertThat(publishing).as("not before commit").isNotDone();
			return publishing;
		});
		assertThat(outcome).succeedsWithin(Duration.ofSeconds(10));
		Message sent = template().receive(this.probe, 10_000);
		assertThat(new EventCodec().read(sent.getBody()).routingKey()).isEqualTo("outbox.async-committed");
		assertThat(repository().count()).isZero();
		assertNoSecondCopy();
	}

	@Test
	void asyncPublishInARolledBackTransactionFailsAndSendsNothing() {
		EventPublisher publisher = this.application.getBean(EventPublisher.class);
		CompletableFuture<Void> outcome = transaction().execute((status) -> {
			status.setRollbackOnly();
			return publisher.publishAsync(Event.builder().type("outbox").action("async-rolled-back").build());
		});
		assertThat(outcome).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(EventPublishException.class)
			.withMessageContaining("its transaction did not commit");
		assertThat(template().receive(this.probe)).isNull();
		assertThat(repository().count()).isZero();
	}

	@Test
	void relaySendsWhatWasStoredButNeverConfirmed() {
		// as left behind by a process that died between commit and send
		String body = new String(new EventCodec().write(Event.builder().type("outbox").action("stranded").build()));
		repository().insert(new OutboxMessage("stranded-1", this.namespace.eventsExchange(), "outbox.stranded",
				"application/json", body, Instant.now().minusSeconds(60)));
		Message sent = template().receive(this.probe, 10_000);
		assertThat(sent).isNotNull();
		assertThat(sent.getMessageProperties().getMessageId()).isEqualTo("stranded-1");
		await().atMost(Duration.ofSeconds(10)).until(() -> repository().count() == 0);
		assertNoSecondCopy();
	}

	private TransactionTemplate transaction() {
		return this.application.getBean(TransactionTemplate.class);
	}

	private RabbitTemplate template() {
		return this.application.getBean(RabbitTemplate.class);
	}

	private OutboxRepository repository() {
		return this.application.getBean(OutboxRepository.class);
	}

}
