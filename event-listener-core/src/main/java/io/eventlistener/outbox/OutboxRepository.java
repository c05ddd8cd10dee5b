package io.eventlistener.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The outbox table, through {@link JdbcTemplate}: inside a Spring-managed transaction
 * (JPA's included) an insert joins that transaction, so the message commits or rolls back
 * with the data it describes.
 * <p>
 * Sending is done under a {@link Claim}: a short transaction of its own, on a connection
 * of its own, that locks the rows it will send ({@code FOR UPDATE SKIP LOCKED}) and
 * deletes them once the broker confirmed them, so that no two senders (the after-commit
 * send and a relay, or the relays of two instances) ever send the same row. Only a row
 * that nothing waits before is claimed: no row stored earlier ({@code seq}) about the
 * same object ({@code ordering_key}) or in the same transaction ({@code transaction_id})
 * is still there. PostgreSQL, MariaDB (10.6+) and H2 (2.2+) all skip locked rows; the
 * claim runs in {@code READ COMMITTED}, so that MariaDB's locking reads take no gap locks
 * that would hold up the application's inserts.
 */
public class OutboxRepository {

	/** The table's name. */
	public static final String TABLE = "event_listener_outbox";

	private static final String COLUMNS = "o.message_id, o.exchange_name, o.routing_key, o.content_type, o.body, "
			+ "o.created_at, o.ordering_key, o.trace_context";

	/** Nothing stored before the row about the same object or in the same transaction. */
	private static final String NOTHING_WAITS_BEFORE = " not exists (select 1 from " + TABLE
			+ " p where p.ordering_key = o.ordering_key and p.seq < o.seq) and not exists (select 1 from " + TABLE
			+ " p where p.transaction_id = o.transaction_id and p.seq < o.seq)";

	private static final RowMapper<OutboxMessage> MESSAGE = (row, index) -> new OutboxMessage(row.getString(1),
			row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getTimestamp(6).toInstant(),
			row.getString(7), row.getString(8));

	private static final SQLExceptionTranslator TRANSLATOR = new SQLExceptionSubclassTranslator();

	private final JdbcTemplate jdbc;

	public OutboxRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Store a message about no transaction in particular (as one left by an earlier
	 * version, before transactions were recorded).
	 * @param message the message
	 */
	public void insert(OutboxMessage message) {
		insert(message, null);
	}

	/**
	 * Store a message in the current transaction, if any.
	 * @param message the message
	 * @param transactionId the id every message of its transaction shares, or
	 * {@code null}
	 */
	public void insert(OutboxMessage message, @Nullable String transactionId) {
		this.jdbc.update(
				"insert into " + TABLE + " (message_id, exchange_name, routing_key, content_type, body, "
						+ "created_at, ordering_key, transaction_id, trace_context) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				message.messageId(), message.exchange(), message.routingKey(), message.contentType(), message.body(),
				Timestamp.from(message.createdAt()), message.orderingKey(), transactionId, message.traceContext());
	}

	public int count() {
		Integer count = this.jdbc.queryForObject("select count(*) from " + TABLE, Integer.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Run work in a claim: a transaction of its own on a connection of its own (never the
	 * caller's, which after commit may still be bound to the finished transaction),
	 * committed when the work returns and rolled back when it throws; the locks it took
	 * are held until then.
	 * @param <T> the work's result
	 * @param work what to do with the claim
	 * @return the work's result
	 * @throws DataAccessException if the database failed
	 */
	public <T> T claim(Function<Claim, T> work) {
		DataSource dataSource = this.jdbc.getDataSource();
		if (dataSource == null) {
			throw new IllegalStateException("The outbox's JdbcTemplate has no DataSource");
		}
		try (Connection connection = dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			int isolation = connection.getTransactionIsolation();
			try {
				if (autoCommit) {
					connection.setAutoCommit(false);
				}
				if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
					connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
				}
				T result = work.apply(new Claim(new JdbcTemplate(new SingleConnectionDataSource(connection, true))));
				connection.commit();
				return result;
			}
			catch (RuntimeException | Error ex) {
				try {
					connection.rollback();
				}
				catch (SQLException rollback) {
					ex.addSuppressed(rollback);
				}
				throw ex;
			}
			finally {
				if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
					connection.setTransactionIsolation(isolation);
				}
				if (autoCommit) {
					connection.setAutoCommit(true);
				}
			}
		}
		catch (SQLException ex) {
			// by the exception's class: an error-code translator would ask the database
			// for its metadata, which fails (with a stack trace of its own) in an outage
			DataAccessException translated = TRANSLATOR.translate("outbox claim", null, ex);
			throw (translated != null) ? translated : new UncategorizedSQLException("outbox claim", null, ex);
		}
	}

	/**
	 * An open claim: what it selects is locked until it ends.
	 */
	public static final class Claim {

		private final JdbcTemplate jdbc;

		private Claim(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		/**
		 * Lock the messages of one transaction that may be sent now: those that no
		 * message of another transaction about the same object waits before, and that no
		 * other sender has locked. The caller sends them in its own order, up to the
		 * first one missing here.
		 * @param transactionId the transaction's id
		 * @return their message ids, in the order they were stored
		 */
		public List<String> transaction(String transactionId) {
			return query(
					"select o.message_id from " + TABLE + " o where o.transaction_id = ? and not exists "
							+ "(select 1 from " + TABLE + " p where p.ordering_key = o.ordering_key and p.seq < o.seq"
							+ " and p.transaction_id <> o.transaction_id) order by o.seq for update skip locked",
					0, (row, index) -> row.getString(1), transactionId);
		}

		/**
		 * Lock the oldest messages stored before a time that nothing waits before
		 * (nothing stored earlier about the same object or in the same transaction is
		 * still there) and that no other sender has locked.
		 * @param before only messages stored before this
		 * @param limit at most this many
		 * @return the messages, in the order they were stored
		 */
		public List<OutboxMessage> next(Instant before, int limit) {
			return query("select " + COLUMNS + " from " + TABLE + " o where o.created_at < ? and" + NOTHING_WAITS_BEFORE
					+ " order by o.seq for update skip locked", limit, MESSAGE, Timestamp.from(before));
		}

		/**
		 * Delete messages the broker confirmed; committed with the claim.
		 * @param messageIds their ids
		 */
		public void delete(Collection<String> messageIds) {
			if (messageIds.isEmpty()) {
				return;
			}
			this.jdbc.update(
					"delete from " + TABLE + " where message_id in ("
							+ String.join(", ", messageIds.stream().map((id) -> "?").toList()) + ")",
					messageIds.toArray());
		}

		private <T> List<T> query(String sql, int limit, RowMapper<T> rows, Object... arguments) {
			// the limit is the statement's maximum row count: portable JDBC, and the
			// driver stops reading after it (no LIMIT / FETCH FIRST dialects)
			return this.jdbc.query((connection) -> {
				PreparedStatement statement = connection.prepareStatement(sql);
				for (int i = 0; i < arguments.length; i++) {
					statement.setObject(i + 1, arguments[i]);
				}
				statement.setMaxRows(limit);
				return statement;
			}, (ResultSet result) -> {
				List<T> found = new ArrayList<>();
				while (result.next()) {
					found.add(rows.mapRow(result, found.size()));
				}
				return found;
			});
		}

	}

}
