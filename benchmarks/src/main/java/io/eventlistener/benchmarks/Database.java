package io.eventlistener.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's PostgreSQL schema: created for one run, dropped after it.
 */
final class Database {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private final String schema;

	Database(String schema) {
		this.schema = schema;
	}

	String jdbcUrl() {
		return URL + "?currentSchema=" + this.schema;
	}

	void create(String... ddl) {
		sql(URL, "create schema " + this.schema);
		sql(jdbcUrl(), ddl);
	}

	/**
	 * Make the table hold exactly {@code count} observers, ids 1 to count.
	 */
	void observers(int count) {
		sql(jdbcUrl(), "truncate subscriber restart identity",
				"insert into subscriber (routing_keys) select 'model.User.' || g || '.create' from generate_series(1, "
						+ count + ") g");
	}

	void drop() {
		sql(URL, "drop schema if exists " + this.schema + " cascade");
	}

	private static void sql(String url, String... statements) {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("SQL failed: " + ex.getMessage(), ex);
		}
	}

}
