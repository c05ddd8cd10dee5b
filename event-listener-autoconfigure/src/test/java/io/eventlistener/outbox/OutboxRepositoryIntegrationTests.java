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

}
