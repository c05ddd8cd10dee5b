package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.EventPublishException;
import io.eventlistener.autoconfigure.EventOutboxSchemaInitializer;
import io.eventlistener.autoconfigure.EventOutboxSchemaProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * The order the outbox sends in, on an embedded H2 database with a sender that fails when
 * told to (the broker's side is the integration tests'): a transaction's messages after
 * its first unconfirmed one stay, a later transaction about the same object waits behind
 * it, and the relay sends what waited in order, each message once.
 */
class MessageOutboxOrderTests {

	private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:outbox-order" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final TransactionTemplate transaction = new TransactionTemplate(
			new DataSourceTransactionManager(this.dataSource));

	private final OutboxRepository repository = new OutboxRepository(new JdbcTemplate(this.dataSource));

	/** The message ids the broker confirmed, in the order it did. */
	private final List<String> confirmed = new CopyOnWriteArrayList<>();

	private final AtomicBoolean brokerDown = new AtomicBoolean();

	private final AtomicInteger deferred = new AtomicInteger();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final MessageOutbox outbox;

	private final OutboxRelay relay;

	MessageOutboxOrderTests() {
		new EventOutboxSchemaInitializer(this.dataSource, new EventOutboxSchemaProperties()).initialize();
		ConfirmedSender sender = mock(ConfirmedSender.class);
		willAnswer((invocation) -> {
			if (this.brokerDown.get()) {
				throw new EventPublishException("broker down (test)");
			}
			this.confirmed.add(invocation.getArgument(2, Message.class).getMessageProperties().getMessageId());
			return null;
		}).given(sender).send(anyString(), anyString(), any(Message.class));
		this.outbox = new MessageOutbox(this.repository, sender, Clock.systemUTC());
		this.outbox.whenDeferred(this.deferred::incrementAndGet);
		this.scheduler.initialize();
		this.relay = new OutboxRelay(this.repository, this.outbox, Clock.systemUTC(), Duration.ofMinutes(1),
				Duration.ZERO, () -> {
				}, this.scheduler);
	}

	@AfterEach
	void close() {
		this.scheduler.shutdown();
		new JdbcTemplate(this.dataSource).execute("shutdown");
	}

	@Test
	void aLaterTransactionAboutTheSameObjectWaitsBehindAnUnconfirmedMessage() {
		this.brokerDown.set(true);
		commit(message("m1", "Order#1"), message("m2", "Order#2"));
		this.brokerDown.set(false);
		commit(message("m3", "Order#1"));
		commit(message("m4", "Order#3"));
		assertThat(this.confirmed).as("sent after commit: only what nothing waits before").containsExactly("m4");
		assertThat(this.deferred).as("times the relay was asked to send what waited").hasValue(1);
		assertThat(this.relay.relay()).isEqualTo(3);
		assertThat(this.confirmed).as("m2 after m1 (its transaction), m3 after m1 (its object)")
			.containsExactly("m4", "m1", "m2", "m3");
		assertThat(this.repository.count()).isZero();
		assertThat(this.relay.relay()).as("confirmed messages sent again").isZero();
	}

	@Test
	void aTransactionsMessagesGoInTheOrderPublishedAndOnlyOnce() {
		commit(message("a", "Order#1"), message("b", null), message("c", "Order#2"));
		assertThat(this.confirmed).containsExactly("a", "b", "c");
		assertThat(this.repository.count()).isZero();
		assertThat(this.relay.relay()).as("confirmed messages sent again").isZero();
		assertThat(this.deferred).hasValue(0);
	}

	private void commit(OutboxMessage... messages) {
		this.transaction.executeWithoutResult((status) -> {
			for (OutboxMessage message : messages) {
				this.outbox.send(message);
			}
		});
	}

	private static OutboxMessage message(String id, String orderingKey) {
		return new OutboxMessage(id, "events", "a.b", null, "{}", Instant.EPOCH, orderingKey, null);
	}

}
