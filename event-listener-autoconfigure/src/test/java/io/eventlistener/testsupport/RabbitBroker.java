package io.eventlistener.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * A RabbitMQ broker the broker-behaviour tests run on: the machine's own (3.10, on
 * {@link LocalServices#RABBIT_PORT}) or the RabbitMQ 4.0 node {@code .ci/rabbitmq4}
 * starts beside it (AMQP 5700, management 15700; the system properties
 * {@code event-listener.it.rabbitmq4.port} and
 * {@code event-listener.it.rabbitmq4.management-port}, set by failsafe, override them). A
 * {@code @ParameterizedClass} over {@link #values()} runs a test class on both. A broker
 * that does not answer fails the test with the command that starts it, never skips it.
 */
public enum RabbitBroker {

	/**
	 * The machine's broker, RabbitMQ 3.10.
	 */
	RABBITMQ_3(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT, LocalServices.RABBIT_MANAGEMENT_PORT,
			"rabbitmq-server -detached; rabbitmq-plugins enable rabbitmq_management"),

	/**
	 * RabbitMQ 4.0 from Debian 13, in the chroot {@code .ci/rabbitmq4} makes.
	 */
	RABBITMQ_4("127.0.0.1", Integer.getInteger("event-listener.it.rabbitmq4.port", 5700),
			Integer.getInteger("event-listener.it.rabbitmq4.management-port", 15700), ".ci/rabbitmq4 start");

	private final String host;

	private final int port;

	private final int managementPort;

	private final String startCommand;

	private volatile String version;

	RabbitBroker(String host, int port, int managementPort, String startCommand) {
		this.host = host;
		this.port = port;
		this.managementPort = managementPort;
		this.startCommand = startCommand;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public int managementPort() {
		return this.managementPort;
	}

	/**
	 * Fail unless the broker and its management API answer.
	 */
	public void requireRunning() {
		require(this.port, "RabbitMQ");
		require(this.managementPort, "the RabbitMQ management API");
	}

	/**
	 * The broker's version, as its connection's server properties give it
	 * ({@code 3.10.8}, {@code 4.0.5}).
	 */
	public String version() {
		String known = this.version;
		if (known == null) {
			requireRunning();
			Object serverVersion = connect((connection) -> connection.getServerProperties().get("version"));
			known = String.valueOf(serverVersion);
			this.version = known;
		}
		return known;
	}

	/**
	 * A RabbitMQ client connection factory for this broker.
	 */
	public ConnectionFactory connectionFactory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(this.host);
		factory.setPort(this.port);
		return factory;
	}

	/**
	 * The broker's name and version, as a test's output names its run.
	 */
	@Override
	public String toString() {
		return "RabbitMQ " + version() + " on " + this.host + ":" + this.port;
	}

	private <T> T connect(ConnectionWork<T> work) {
		try (Connection connection = connectionFactory().newConnection("broker-version-test")) {
			return work.apply(connection);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not connect to RabbitMQ at " + this.host + ":" + this.port, ex);
		}
	}

	private void require(int port, String service) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, port), 2000);
		}
		catch (IOException ex) {
			throw new IllegalStateException(service + " (" + name() + ") is not reachable at " + this.host + ":" + port
					+ " (" + ex.getMessage() + "). The broker-behaviour tests run on it: start it with '"
					+ this.startCommand + "', or run 'bash .ci/run', which starts every service the tests need.", ex);
		}
	}

	@FunctionalInterface
	private interface ConnectionWork<T> {

		T apply(Connection connection) throws IOException;

	}

}
