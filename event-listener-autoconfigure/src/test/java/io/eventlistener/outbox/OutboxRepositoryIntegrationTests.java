package io.eventlistener.outbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.eventlistener.autoconfigure.EventOutboxSchemaInitializer;
import io.eventlistener.autoconfigure.EventOutboxSchemaProperties;
import io.eventlistener.testsupport.LocalDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox table on each database the starter is tested on (PostgreSQL, MariaDB, H2):
 * the schema is created (twice, as every start does) or added to a table an earlier
 * version made, and the claim takes only what nothing waits before, in the order stored,
 * skipping what another claim holds.
 */
class OutboxRepositoryIntegrationTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final Instant LATER = T0.plusSeconds(3600);

	private static final String TRACE_CONTEXT = "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	static Stream<Database> databases() {
		return Stream.of(new Database("PostgreSQL", LocalDatabase.POSTGRESQL),
				new Database("MariaDB", LocalDatabase.MARIADB), new Database("H2", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void oldestMessagesStoredBeforeATimeComeFirstAndNoMoreThanTheLimit(Database database) {
		try (Scratch scratch = database.scratch()) {
			// as every start does: the script creates the table once and leaves it be
			// after
			initialize(scratch.dataSource());
			initialize(scratch.dataSource());
			OutboxRepository repository = repository(scratch);
			for (int i = 0; i <= 4; i++) {
				repository.insert(message("m" + i, null, T0.plusSeconds(i)), null);
			}
			List<OutboxMessage> found = next(repository, T0.plusSeconds(4), 2);
			assertThat(found).extracting(OutboxMessage::messageId).containsExactly("m0", "m1");
			assertThat(found.get(0).createdAt()).isEqualTo(T0);
			assertThat(found.get(0).traceContext()).as("kept with its row").isEqualTo(TRACE_CONTEXT);
			assertThat(next(repository, T0.plusSeconds(4), 10)).hasSize(4);
			delete(repository, "m0", "m1");
			assertThat(repository.count()).isEqualTo(3);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void aMessageWaitsForEarlierOnesAboutTheSameObjectAndOfTheSameTransaction(Database database) {
		try (Scratch scratch = database.scratch()) {
			OutboxRepository repository = initialized(scratch);
			// stored in this order: a1 and a2 in transaction a, b1 in b, c1 about nothing
			store(repository, "a1 Order#1 a", "a2 Order#2 a", "b1 Order#1 b", "c1 - c");
			assertThat(ids(next(repository, LATER, 10))).as("a2 waits for a1 (its transaction), b1 for a1 (its object)")
				.containsExactly("a1", "c1");
			assertThat(transaction(repository, "b")).as("b's messages that may go now").isEmpty();
			assertThat(transaction(repository, "a")).containsExactly("a1", "a2");
			delete(repository, "a1");
			assertThat(ids(next(repository, LATER, 10))).containsExactly("a2", "b1", "c1");
			assertThat(transaction(repository, "b")).containsExactly("b1");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void aClaimSkipsWhatAnotherHoldsAndWhatWaitsBehindIt(Database database) {
		try (Scratch scratch = database.scratch()) {
			OutboxRepository repository = initialized(scratch);
			store(repository, "x1 Order#1 x", "y1 Order#2 y", "x2 Order#1 x2");
			List<String> secondSaw = repository.claim((first) -> {
				assertThat(ids(first.next(LATER, 1))).containsExactly("x1");
				// another instance's relay, while the first holds x1
				return CompletableFuture.supplyAsync(() -> repository.claim((second) -> ids(second.next(LATER, 10))))
					.orTimeout(20, TimeUnit.SECONDS)
					.join();
			});
			assertThat(secondSaw).as("x1 is held, x2 waits behind it").doesNotContain("x1", "x2");
			if (database.local != null) {
				// H2 locks every row its query matches, not only the first: the second
				// claim finds nothing there
				assertThat(secondSaw).as("what the first does not hold").containsExactly("y1");
			}
			List<String> afterCommitSaw = repository.claim((first) -> {
				first.next(LATER, 10);
				// an after-commit send of transaction x2, while the relay holds every row
				return CompletableFuture.supplyAsync(() -> repository.claim((second) -> second.transaction("x2")))
					.orTimeout(20, TimeUnit.SECONDS)
					.join();
			});
			assertThat(afterCommitSaw).isEmpty();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void aTableMadeByAnEarlierVersionGetsTheNewColumnsAndKeepsItsRows(Database database) {
		try (Scratch scratch = database.scratch()) {
			JdbcTemplate jdbc = new JdbcTemplate(scratch.dataSource());
			String body = (database.local == LocalDatabase.MARIADB) ? "longtext" : "text";
			String time = (database.local == LocalDatabase.MARIADB) ? "timestamp(6)" : "timestamp";
			// the table as versions before decision 0085 made it
			jdbc.execute("create table event_listener_outbox (message_id varchar(255) primary key, "
					+ "exchange_name varchar(255) not null, routing_key varchar(255) not null, "
					+ "content_type varchar(255), body " + body + " not null, created_at " + time + " not null)");
			jdbc.update("insert into event_listener_outbox values ('old2', 'events', 'a.b', null, '{}', ?)",
					java.sql.Timestamp.from(T0.plusSeconds(1)));
			jdbc.update("insert into event_listener_outbox values ('old1', 'events', 'a.b', null, '{}', ?)",
					java.sql.Timestamp.from(T0));
			initialize(scratch.dataSource());
			initialize(scratch.dataSource());
			OutboxRepository repository = repository(scratch);
			repository.insert(message("new", "Order#1", T0.plusSeconds(2)), "t");
			List<String> found = ids(next(repository, LATER, 10));
			// the rows already there are numbered as the database reads them
			assertThat(found).as("every row").containsExactlyInAnyOrder("old1", "old2", "new");
			assertThat(found).as("the new row after them").endsWith("new");
			assertThat(next(repository, LATER, 10)).extracting(OutboxMessage::traceContext)
				.as("the trace context column added too")
				.containsExactly(null, null, TRACE_CONTEXT);
		}
	}

	private static List<OutboxMessage> next(OutboxRepository repository, Instant before, int limit) {
		return repository.claim((claim) -> claim.next(before, limit));
	}

	private static List<String> transaction(OutboxRepository repository, String transactionId) {
		return repository.claim((claim) -> claim.transaction(transactionId));
	}

	/**
	 * Store messages in this order, each given as "id ordering-key transaction-id" ("-"
	 * for no ordering key).
	 */
	private static void store(OutboxRepository repository, String... messages) {
		for (String message : messages) {
			String[] parts = message.split(" ");
			repository.insert(message(parts[0], (parts[1].equals("-")) ? null : parts[1], T0), parts[2]);
		}
	}

	private static void delete(OutboxRepository repository, String... messageIds) {
		repository.claim((claim) -> {
			claim.delete(List.of(messageIds));
			return null;
		});
	}

	private static void initialize(DataSource dataSource) {
		new EventOutboxSchemaInitializer(dataSource, new EventOutboxSchemaProperties()).initialize();
	}

	private static OutboxRepository initialized(Scratch scratch) {
		initialize(scratch.dataSource());
		return repository(scratch);
	}

	private static OutboxRepository repository(Scratch scratch) {
		return new OutboxRepository(new JdbcTemplate(scratch.dataSource()));
	}

	private static OutboxMessage message(String id, String orderingKey, Instant createdAt) {
		return new OutboxMessage(id, "events", "a.b", null, "{}", createdAt, orderingKey, TRACE_CONTEXT);
	}

	private static List<String> ids(List<OutboxMessage> messages) {
		return messages.stream().map(OutboxMessage::messageId).toList();
	}

	/**
	 * A database to test on: a local service's scratch schema, or an in-memory H2.
	 */
	record Database(String name, LocalDatabase local) {

		Scratch scratch() {
			if (this.local != null) {
				LocalDatabase.Scratch scratch = this.local.scratch();
				return new Scratch(scratch.dataSource(), scratch::close);
			}
			return new Scratch(new DriverManagerDataSource(
					"jdbc:h2:mem:outbox" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", ""),
					() -> {
					});
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	record Scratch(DataSource dataSource, Runnable drop) implements AutoCloseable {

		@Override
		public void close() {
			if (this.dataSource instanceof DriverManagerDataSource h2 && h2.getUrl().startsWith("jdbc:h2:")) {
				new JdbcTemplate(h2).execute("shutdown");
			}
			this.drop.run();
		}

	}

}
