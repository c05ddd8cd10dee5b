package io.eventlistener.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox table, through {@link JdbcTemplate}: inside a Spring-managed transaction
 * (JPA's included) an insert joins that transaction, so the message commits or rolls back
 * with the data it describes.
 * <p>
 * The {@value #TRACE_CONTEXT} column (nullable, added with tracing) is optional: a table
 * made before it keeps working, without it, and a message the relay sends from such a
 * table starts a trace of its own. Whether the column is there is asked once, on a
 * connection of its own (a failed statement would end the caller's transaction on
 * PostgreSQL), and again when the relay starts, after the schema script ran.
 */
public class OutboxRepository {

	/** The table's name. */
	public static final String TABLE = "event_listener_outbox";

	/** The column of a message's trace context. */
	public static final String TRACE_CONTEXT = "trace_context";

	private static final Log logger = LogFactory.getLog(OutboxRepository.class);

	private final JdbcTemplate jdbc;

	private volatile @Nullable Boolean traceContextColumn;

	private final AtomicBoolean toldNoTraceContextColumn = new AtomicBoolean();

	public OutboxRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(OutboxMessage message) {
		if (hasTraceContextColumn()) {
			this.jdbc.update(
					"insert into " + TABLE + " (message_id, exchange_name, routing_key, content_type, body,"
							+ " created_at, " + TRACE_CONTEXT + ") values (?, ?, ?, ?, ?, ?, ?)",
					message.messageId(), message.exchange(), message.routingKey(), message.contentType(),
					message.body(), Timestamp.from(message.createdAt()), message.traceContext());
			return;
		}
		if (message.traceContext() != null && this.toldNoTraceContextColumn.compareAndSet(false, true)) {
			logger.info("The " + TABLE + " table has no " + TRACE_CONTEXT + " column, so a message the relay sends"
					+ " starts a trace of its own; add it with: alter table " + TABLE + " add column " + TRACE_CONTEXT
					+ " text");
		}
		this.jdbc.update("insert into " + TABLE
				+ " (message_id, exchange_name, routing_key, content_type, body, created_at) values (?, ?, ?, ?, ?, ?)",
				message.messageId(), message.exchange(), message.routingKey(), message.contentType(), message.body(),
				Timestamp.from(message.createdAt()));
	}

	/**
	 * Ask again whether the table has the {@value #TRACE_CONTEXT} column (after the
	 * schema script ran).
	 */
	public void inspectColumns() {
		this.traceContextColumn = null;
		hasTraceContextColumn();
	}

	private boolean hasTraceContextColumn() {
		Boolean known = this.traceContextColumn;
		if (known == null) {
			known = probeTraceContextColumn();
			this.traceContextColumn = known;
		}
		return known;
	}

	private boolean probeTraceContextColumn() {
		DataSource dataSource = this.jdbc.getDataSource();
		if (dataSource == null) {
			return false;
		}
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.executeQuery("select " + TRACE_CONTEXT + " from " + TABLE + " where 1 = 0").close();
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
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
		String traceContext = hasTraceContextColumn() ? TRACE_CONTEXT : "null";
		return this.jdbc.query((connection) -> {
			PreparedStatement statement = connection
				.prepareStatement("select message_id, exchange_name, routing_key, content_type, body, created_at, "
						+ traceContext + " from " + TABLE + " where created_at < ? order by created_at");
			statement.setTimestamp(1, Timestamp.from(before));
			statement.setMaxRows(limit);
			return statement;
		}, (row, index) -> new OutboxMessage(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
				row.getString(5), row.getTimestamp(6).toInstant(), row.getString(7)));
	}

	public int count() {
		Integer count = this.jdbc.queryForObject("select count(*) from " + TABLE, Integer.class);
		return (count != null) ? count : 0;
	}

}
