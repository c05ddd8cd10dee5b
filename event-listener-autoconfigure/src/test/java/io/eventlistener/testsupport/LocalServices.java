package io.eventlistener.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The RabbitMQ, PostgreSQL and MariaDB that integration tests talk to: the local services
 * of this machine kind (override with the system properties or environment variables
 * named below). A service that does not answer is a test failure that says how to start
 * it, never a skipped test.
 */
public final class LocalServices {

	public static final String RABBIT_HOST = setting("EVENT_LISTENER_RABBIT_HOST", "127.0.0.1");

	public static final int RABBIT_PORT = Integer.parseInt(setting("EVENT_LISTENER_RABBIT_PORT", "5672"));

	public static final int RABBIT_MANAGEMENT_PORT = Integer
		.parseInt(setting("EVENT_LISTENER_RABBIT_MANAGEMENT_PORT", "15672"));

	public static final String POSTGRES_HOST = setting("EVENT_LISTENER_POSTGRES_HOST", "127.0.0.1");

	public static final int POSTGRES_PORT = Integer.parseInt(setting("EVENT_LISTENER_POSTGRES_PORT", "5432"));

	public static final String POSTGRES_DATABASE = setting("EVENT_LISTENER_POSTGRES_DATABASE", "test");

	public static final String POSTGRES_USER = setting("EVENT_LISTENER_POSTGRES_USER", "postgres");

	public static final String MARIADB_HOST = setting("EVENT_LISTENER_MARIADB_HOST", "127.0.0.1");

	public static final int MARIADB_PORT = Integer.parseInt(setting("EVENT_LISTENER_MARIADB_PORT", "3306"));

	public static final String MARIADB_USER = setting("EVENT_LISTENER_MARIADB_USER", "root");

	private LocalServices() {
	}

	/**
	 * Fail unless RabbitMQ (with its management plugin) and PostgreSQL answer.
	 */
	public static void requireRunning() {
		require("RabbitMQ", RABBIT_HOST, RABBIT_PORT, "rabbitmq-server -detached");
		require("the RabbitMQ management plugin", RABBIT_HOST, RABBIT_MANAGEMENT_PORT,
				"rabbitmq-plugins enable rabbitmq_management");
		requirePostgres();
	}

	/**
	 * Fail unless PostgreSQL answers.
	 */
	public static void requirePostgres() {
		require("PostgreSQL", POSTGRES_HOST, POSTGRES_PORT,
				"pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
	}

	/**
	 * Fail unless MariaDB answers.
	 */
	public static void requireMariaDb() {
		require("MariaDB", MARIADB_HOST, MARIADB_PORT,
				"start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
	}

	public static String jdbcUrl(String schema) {
		return "jdbc:postgresql://" + POSTGRES_HOST + ":" + POSTGRES_PORT + "/" + POSTGRES_DATABASE + "?currentSchema="
				+ schema;
	}

	private static void require(String service, String host, int port, String startCommand) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 2000);
		}
		catch (IOException ex) {
			throw new IllegalStateException(service + " is not reachable at " + host + ":" + port + " ("
					+ ex.getMessage() + "). Integration tests need it: start it with '" + startCommand
					+ "', or run 'bash .ci/run', which starts every service the tests need.", ex);
		}
	}

	private static String setting(String name, String defaultValue) {
		String value = System.getProperty(name, System.getenv(name));
		return (value != null) ? value : defaultValue;
	}

}
