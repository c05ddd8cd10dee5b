package io.eventlistener.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The benchmark's PostgreSQL schema, one per application it starts: created for one run,
 * dropped after it. Should the benchmark be stopped half-way, a shutdown hook removes
 * what is left of every namespace not yet dropped, on the broker too: durable queues left
 * full of messages slow down every later broker start.
 */
final class Database {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private static final Set<String> open = ConcurrentHashMap.newKeySet();

	private final String prefix;

	private final String schema;

	/**
	 * Create a new {@code Database}.
	 * @param prefix the queue prefix of the application using it; the schema is named
	 * after it
	 */
	Database(String prefix) {
		this.prefix = prefix;
		this.schema = prefix.replace('-', '_');
	}

	/**
	 * Remove, when the JVM exits, every namespace still open.
	 */
	static void cleanUpOnExit() {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			for (String prefix : Set.copyOf(open)) {
				try (Rabbit rabbit = new Rabbit()) {
					rabbit.deleteNamespace(prefix);
				}
				catch (Exception ex) {
					System.err.println("[benchmark] could not delete the queues of " + prefix + ": " + ex);
				}
				new Database(prefix).drop();
			}
		}, "benchmark-clean-up"));
	}

	String jdbcUrl() {
		return URL + "?currentSchema=" + this.schema;
	}

	void create(String... ddl) {
		open.add(this.prefix);
		sql(URL, "create schema " + this.schema);
		sql(jdbcUrl(), ddl);
	}

	/**
	 * Run a script from the class path in the schema (the starter's table scripts, so
	 * that instances started at once do not race to create the same tables).
	 */
	void script(String location) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "")) {
			ScriptUtils.executeSqlScript(connection, new ClassPathResource(location));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Script " + location + " failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Make the table hold exactly {@code count} observers, ids 1 to count.
	 */
	void observers(int count) {
		sql(jdbcUrl(), "truncate subscriber restart identity",
				"insert into subscriber (routing_keys) select 'model.User.' || g || '.create' from generate_series(1, "
						+ count + ") g");
	}

	/**
	 * The rows a table of the schema holds.
	 */
	long count(String table) throws SQLException {
		try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select count(*) from " + table)) {
			result.next();
			return result.getLong(1);
		}
	}

	void drop() {
		sql(URL, "drop schema if exists " + this.schema + " cascade");
		open.remove(this.prefix);
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
