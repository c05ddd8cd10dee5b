package io.eventlistener.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The relational databases of this machine kind that the JDBC-facing tests run on (and
 * the embedded H2), each giving a scratch schema of its own that is dropped when closed.
 */
public enum LocalDatabase {

	/** PostgreSQL: a schema in the database {@code test}. */
	POSTGRESQL {

		@Override
		public Scratch scratch() {
			LocalServices.requirePostgres();
			String schema = newName();
			String server = "jdbc:postgresql://" + LocalServices.POSTGRES_HOST + ":" + LocalServices.POSTGRES_PORT + "/"
					+ LocalServices.POSTGRES_DATABASE;
			run(server, LocalServices.POSTGRES_USER, "create schema " + schema);
			return new Scratch(schema, LocalServices.jdbcUrl(schema), LocalServices.POSTGRES_USER,
					() -> run(server, LocalServices.POSTGRES_USER, "drop schema " + schema + " cascade"));
		}

	},

	/** MariaDB: a database of its own (MariaDB's schemas are databases). */
	MARIADB {

		@Override
		public Scratch scratch() {
			LocalServices.requireMariaDb();
			String database = newName();
			String server = "jdbc:mariadb://" + LocalServices.MARIADB_HOST + ":" + LocalServices.MARIADB_PORT + "/";
			run(server, LocalServices.MARIADB_USER, "create database " + database);
			return new Scratch(database, server + database, LocalServices.MARIADB_USER,
					() -> run(server, LocalServices.MARIADB_USER, "drop database " + database));
		}

	},

	/** H2: an in-memory database of its own, the embedded database of the unit tests. */
	H2 {

		@Override
		public Scratch scratch() {
			String url = "jdbc:h2:mem:" + newName() + ";DB_CLOSE_DELAY=-1";
			return new Scratch("PUBLIC", url, "sa", () -> run(url, "sa", "shutdown"));
		}

	};

	/**
	 * Create a scratch schema.
	 * @return the schema, to close when done
	 */
	public abstract Scratch scratch();

	private static String newName() {
		return "elt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
	}

	private static void run(String url, String user, String sql) {
		try (Connection connection = DriverManager.getConnection(url, user, "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("'" + sql + "' failed on " + url + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * A scratch schema and a data source that uses it; closing drops it.
	 */
	public static final class Scratch implements AutoCloseable {

		private final String name;

		private final DriverManagerDataSource dataSource;

		private final Runnable drop;

		private Scratch(String name, String url, String user, Runnable drop) {
			this.name = name;
			this.dataSource = new DriverManagerDataSource(url, user, "");
			this.drop = drop;
		}

		/**
		 * The schema's (on MariaDB: the database's) name.
		 */
		public String name() {
			return this.name;
		}

		public DataSource dataSource() {
			return this.dataSource;
		}

		public String url() {
			return this.dataSource.getUrl();
		}

		@Override
		public void close() {
			this.drop.run();
		}

	}

}
