package io.eventlistener.outbox;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox table, through {@link JdbcTemplate}: inside a Spring-managed transaction
 * (JPA's included) an insert joins that transaction, so the message commits or rolls back
 * with the data it describes.
 */
public class OutboxRepository {

	/** The table's name. */
	public static final String TABLE = "event_listener_outbox";

	private final JdbcTemplate jdbc;

	public OutboxRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(OutboxMessage message) {
		this.jdbc.update("insert into " + TABLE
				+ " (message_id, exchange_name, routing_key, content_type, body, created_at) values (?, ?, ?, ?, ?, ?)",
				message.messageId(), message.exchange(), message.routingKey(), message.contentType(), message.body(),
				Timestamp.from(message.createdAt()));
	}

	public void delete(String messageId) {
		this.jdbc.update("delete from " + TABLE + " where message_id = ?", messageId);
	}

	/**
	 * The oldest messages stored before a time.
	 * @param before only messages older than this
	 * @param limit at most this many
	 * @return the messages, oldest first
	 */
	public List<OutboxMessage> findStoredBefore(Instant before, int limit) {
		// the limit is the statement's maximum row count: portable JDBC, and the driver
		// stops reading after it (no LIMIT / FETCH FIRST dialects)
		return this.jdbc.query((connection) -> {
			PreparedStatement statement = connection
				.prepareStatement("select message_id, exchange_name, routing_key, content_type, body, created_at from "
						+ TABLE + " where created_at < ? order by created_at");
			statement.setTimestamp(1, Timestamp.from(before));
			statement.setMaxRows(limit);
			return statement;
		}, (row, index) -> new OutboxMessage(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
				row.getString(5), row.getTimestamp(6).toInstant()));
	}

	public int count() {
		Integer count = this.jdbc.queryForObject("select count(*) from " + TABLE, Integer.class);
		return (count != null) ? count : 0;
	}

}
