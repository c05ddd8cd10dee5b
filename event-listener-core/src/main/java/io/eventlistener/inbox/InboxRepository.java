package io.eventlistener.inbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inbox table, through {@link JdbcTemplate}: inside a Spring-managed transaction
 * (JPA's included) a statement joins that transaction, so a delivery is recorded as
 * handled exactly when the handler's own changes commit.
 * <p>
 * The table is created by {@link #createTableOnce()}, which the inbox calls before each
 * transaction it opens: never before the database answers, always before a delivery is
 * recorded, and never inside a transaction (MariaDB commits the transaction a DDL
 * statement runs in, PostgreSQL rolls the DDL back with it).
 */
public class InboxRepository {

	/** The table's name. */
	public static final String TABLE = "event_listener_inbox";

	private final JdbcTemplate jdbc;

	private final Runnable createSchema;

	private volatile boolean schemaCreated;

	/**
	 * Create a new {@code InboxRepository}.
	 * @param jdbc runs the statements, on the application's data source
	 * @param createSchema creates the table if it is missing; run once, on first use
	 */
	public InboxRepository(JdbcTemplate jdbc, Runnable createSchema) {
		this.jdbc = jdbc;
		this.createSchema = createSchema;
	}

	/**
	 * Record a delivery as handled.
	 * @param key the delivery
	 * @param handledAt when
	 * @throws org.springframework.dao.DuplicateKeyException if it was recorded already
	 * (or is being, by a transaction that then commits)
	 */
	public void insert(InboxKey key, Instant handledAt) {
		this.jdbc.update("insert into " + TABLE + " (queue_name, delivery_id, handled_at) values (?, ?, ?)",
				key.queue(), key.deliveryId(), Timestamp.from(handledAt));
	}

	/**
	 * Record deliveries as handled, in one round-trip.
	 * @param keys the deliveries
	 * @param handledAt when
	 * @throws org.springframework.dao.DuplicateKeyException if one was recorded already
	 */
	public void insertAll(List<InboxKey> keys, Instant handledAt) {
		Timestamp at = Timestamp.from(handledAt);
		this.jdbc.batchUpdate("insert into " + TABLE + " (queue_name, delivery_id, handled_at) values (?, ?, ?)",
				keys.stream().map((key) -> new Object[] { key.queue(), key.deliveryId(), at }).toList());
	}

	/**
	 * Which of these deliveries were recorded already.
	 * @param keys the deliveries
	 * @return those recorded
	 */
	public Set<InboxKey> recorded(Collection<InboxKey> keys) {
		if (keys.isEmpty()) {
			return Set.of();
		}
		// a row value list: PostgreSQL, MariaDB and H2 all read it, and one statement
		// serves a batch that spans many observers' queues
		String rows = keys.stream().map((key) -> "(?, ?)").collect(Collectors.joining(", "));
		Object[] arguments = keys.stream().flatMap((key) -> List.of(key.queue(), key.deliveryId()).stream()).toArray();
		return new HashSet<>(this.jdbc.query(
				"select queue_name, delivery_id from " + TABLE + " where (queue_name, delivery_id) in (" + rows + ")",
				(row, index) -> new InboxKey(row.getString(1), row.getString(2)), arguments));
	}

	/**
	 * Forget the deliveries handled before a time.
	 * @param before the oldest handling kept
	 * @return how many were forgotten
	 */
	public int deleteHandledBefore(Instant before) {
		createTableOnce();
		return this.jdbc.update("delete from " + TABLE + " where handled_at < ?", Timestamp.from(before));
	}

	public int count() {
		createTableOnce();
		Integer count = this.jdbc.queryForObject("select count(*) from " + TABLE, Integer.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Create the table if this repository has not yet done so; call it outside any
	 * transaction. A failure (the database is down) is thrown, and the next call tries
	 * again.
	 */
	public void createTableOnce() {
		if (this.schemaCreated) {
			return;
		}
		synchronized (this) {
			if (!this.schemaCreated) {
				this.createSchema.run();
				this.schemaCreated = true;
			}
		}
	}

}
