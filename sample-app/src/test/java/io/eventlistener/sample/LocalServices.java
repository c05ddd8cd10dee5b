package io.eventlistener.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the sample application with its {@code rabbitmq} profile against the local
 * RabbitMQ (127.0.0.1:5672) and PostgreSQL (127.0.0.1:5432, database {@code test}) in a
 * namespace of its own: a schema, exchanges and a queue prefix no other run uses. Closing
 * it stops the application and removes all of them. A missing service is a failure that
 * says how to start it, never a skipped test.
 */
final class LocalServices implements AutoCloseable {

	private static final String UNDEFINED_TABLE = "42P01";

	private final ConfigurableApplicationContext application;

	private final String id;

	private LocalServices(ConfigurableApplicationContext application, String id) {
		this.application = application;
		this.id = id;
	}

	static LocalServices start(Class<?>... sources) {
		String id = createNamespace();
		ConfigurableApplicationContext application = new SpringApplicationBuilder(sources).profiles("rabbitmq")
			.properties("server.port=0")
			.properties(namespaceSettings(id).toArray(String[]::new))
			.run();
		return new LocalServices(application, id);
	}

	/**
	 * Check that RabbitMQ and PostgreSQL answer and create a namespace: a schema, and a
	 * name for the queue prefix and the exchanges.
	 * @return the namespace's name
	 */
	static String createNamespace() {
		require("RabbitMQ", 5672, "rabbitmq-server -detached");
		require("PostgreSQL", 5432, "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
		String id = "sample" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		sql("create schema " + id);
		return id;
	}

	/**
	 * The settings that put the sample's {@code rabbitmq} profile in a namespace.
	 * @param id the namespace's name
	 * @return {@code name=value} settings
	 */
	static List<String> namespaceSettings(String id) {
		return List.of("spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + id,
				"spring.application.name=" + id,
				// Hibernate's schema update must not take the public schema's tables for
				// ours
				"spring.jpa.properties.hibernate.default_schema=" + id,
				"event-listener.exchanges.events=" + id + ".events",
				"event-listener.exchanges.models=" + id + ".models");
	}

	ConfigurableApplicationContext application() {
		return this.application;
	}

	int port() {
		return this.application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@Override
	public void close() {
		this.application.close();
		dropNamespace(this.id);
	}

	/**
	 * Remove a namespace's queues, exchanges and schema.
	 * @param id the namespace's name
	 */
	static void dropNamespace(String id) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);
		try {
			RabbitAdmin admin = new RabbitAdmin(connectionFactory);
			// a deleted subscription's queue is gone; the rows left name the queues left
			for (long subscription : subscriptionIds(id)) {
				admin.deleteQueue(id + ".subscription." + subscription);
			}
			admin.deleteQueue(id + ".dead-letter");
			for (String exchange : List.of(".events", ".models", ".dead-letter")) {
				admin.deleteExchange(id + exchange);
			}
		}
		finally {
			connectionFactory.destroy();
		}
		sql("drop schema " + id + " cascade");
	}

	private static List<Long> subscriptionIds(String id) {
		List<Long> ids = new ArrayList<>();
		try (Connection connection = connect();
				Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("select id from " + id + ".subscription")) {
			while (rows.next()) {
				ids.add(rows.getLong(1));
			}
			return ids;
		}
		catch (SQLException ex) {
			if (UNDEFINED_TABLE.equals(ex.getSQLState())) {
				// the application did not get as far as creating its tables
				return ids;
			}
			throw new IllegalStateException("Could not read the subscriptions: " + ex.getMessage(), ex);
		}
	}

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
	}

	private static void sql(String statement) {
		try (Connection connection = connect(); Statement sql = connection.createStatement()) {
			sql.execute(statement);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL refused '" + statement + "': " + ex.getMessage(), ex);
		}
	}

	private static void require(String service, int port, String startCommand) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
		}
		catch (IOException ex) {
			throw new IllegalStateException(service + " is not reachable at 127.0.0.1:" + port + ". Start it with '"
					+ startCommand + "', or run 'bash .ci/run', which starts every service the tests need.", ex);
		}
	}

}
