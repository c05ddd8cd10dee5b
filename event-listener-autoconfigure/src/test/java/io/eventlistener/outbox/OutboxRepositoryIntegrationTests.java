package io.eventlistener.outbox;

import java.time.Instant;
import java.util.List;

import io.eventlistener.autoconfigure.EventOutboxSchemaInitializer;
import io.eventlistener.autoconfigure.EventOutboxSchemaProperties;
import io.eventlistener.testsupport.LocalDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox table on each database the starter is tested on: the schema is created
 * (twice, as every start does), and the relay's query returns the oldest waiting
 * messages, no more than asked for.
 */
class OutboxRepositoryIntegrationTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final String TRACE_CONTEXT = "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	private static EventOutboxSchemaInitializer initializer(LocalDatabase.Scratch scratch) {
		return new EventOutboxSchemaInitializer(scratch.dataSource(), new EventOutboxSchemaProperties());
	}

	@ParameterizedTest
	@EnumSource(LocalDatabase.class)
	void oldestMessagesStoredBeforeATimeComeFirstAndNoMoreThanTheLimit(LocalDatabase database) {
		try (LocalDatabase.Scratch scratch = database.scratch()) {
			// as every start does: the script creates the table once and leaves it be
			// after
			initializer(scratch).initialize();
			initializer(scratch).initialize();
			OutboxRepository repository = new OutboxRepository(new JdbcTemplate(scratch.dataSource()));
			for (int i = 4; i >= 0; i--) {
				repository.insert(new OutboxMessage("m" + i, "events", "a.b", null, "{}", T0.plusSeconds(i)));
			}
			List<OutboxMessage> found = repository.findStoredBefore(T0.plusSeconds(4), 2);
			assertThat(found).extracting(OutboxMessage::messageId).containsExactly("m0", "m1");
			assertThat(found.get(0).createdAt()).isEqualTo(T0);
			assertThat(repository.findStoredBefore(T0.plusSeconds(4), 10)).hasSize(4);
			repository.delete("m0");
			assertThat(repository.count()).isEqualTo(4);
		}
	}

	@ParameterizedTest
	@EnumSource(LocalDatabase.class)
	void aMessagesTraceContextIsStoredWithItsRow(LocalDatabase database) {
		try (LocalDatabase.Scratch scratch = database.scratch()) {
			initializer(scratch).initialize();
			OutboxRepository repository = new OutboxRepository(new JdbcTemplate(scratch.dataSource()));
			repository.insert(new OutboxMessage("m", "events", "a.b", null, "{}", T0, TRACE_CONTEXT));
			assertThat(repository.findStoredBefore(T0.plusSeconds(1), 1)).extracting(OutboxMessage::traceContext)
				.containsExactly(TRACE_CONTEXT);
		}
	}

	/**
	 * A table created before the trace context column (its script's {@code if not exists}
	 * leaves it as it is) keeps working without it, and keeps trace contexts once the
	 * column is added by hand and the relay starts again.
	 */
	@ParameterizedTest
	@EnumSource(LocalDatabase.class)
	void aTableMadeBeforeTheTraceContextColumnKeepsWorking(LocalDatabase database) {
		try (LocalDatabase.Scratch scratch = database.scratch()) {
			JdbcTemplate jdbc = new JdbcTemplate(scratch.dataSource());
			jdbc.execute("create table event_listener_outbox (message_id varchar(255) primary key, "
					+ "exchange_name varchar(255) not null, routing_key varchar(255) not null, "
					+ "content_type varchar(255), body text not null, created_at timestamp(6) not null)");
			initializer(scratch).initialize();
			OutboxRepository repository = new OutboxRepository(jdbc);
			repository.insert(new OutboxMessage("old", "events", "a.b", null, "{}", T0, TRACE_CONTEXT));
			assertThat(repository.findStoredBefore(T0.plusSeconds(1), 1)).extracting(OutboxMessage::traceContext)
				.containsExactly((String) null);
			jdbc.execute("alter table event_listener_outbox add column trace_context text");
			repository.inspectColumns();
			repository.insert(new OutboxMessage("new", "events", "a.b", null, "{}", T0.plusSeconds(1), TRACE_CONTEXT));
			assertThat(repository.findStoredBefore(T0.plusSeconds(2), 2)).extracting(OutboxMessage::traceContext)
				.containsExactly(null, TRACE_CONTEXT);
		}
	}

}
