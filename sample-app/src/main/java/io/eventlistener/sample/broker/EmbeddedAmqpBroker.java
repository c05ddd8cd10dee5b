package io.eventlistener.sample.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.qpid.server.SystemLauncher;
import org.jspecify.annotations.Nullable;

/**
 * An AMQP 0-9-1 broker in this JVM: Apache Qpid Broker-J with an in-memory virtual host,
 * so Spring AMQP clients work with nothing else installed. Everything it holds is lost
 * when it stops.
 * <p>
 * It differs from RabbitMQ where the event listener notices:
 * <ul>
 * <li>RabbitMQ's {@code x-*} queue arguments (dead-lettering, TTL, length limits, quorum
 * queues) are refused, and the refusal closes the whole connection, so features built on
 * them must be switched off;</li>
 * <li>a delivery rejected without requeue is requeued by Qpid unless the queue has a
 * maximum number of delivery attempts, so every queue gets
 * {@value #MAXIMUM_DELIVERY_ATTEMPTS} (the context variable
 * {@code queue.maximumDeliveryAttempts}): a rejected delivery is then dropped, as
 * RabbitMQ drops it on a queue without a dead-letter exchange. A delivery returned with
 * requeue does not count as an attempt.</li>
 * </ul>
 */
public class EmbeddedAmqpBroker implements AutoCloseable {

	/** Delivery attempts per message before a reject drops it. */
	public static final int MAXIMUM_DELIVERY_ATTEMPTS = 1;

	private static final Log logger = LogFactory.getLog(EmbeddedAmqpBroker.class);

	private static final String CONFIGURATION = "/embedded-broker.json";

	private final String address;

	private final int port;

	private final String username;

	private final String password;

	private final SystemLauncher launcher = new SystemLauncher(new QpidShutdownHookRemover());

	private @Nullable Path workDirectory;

	/**
	 * Create a new {@code EmbeddedAmqpBroker}.
	 * @param address the address to listen on, such as {@code 127.0.0.1}
	 * @param port the port, or 0 for a free one
	 * @param username the one user's name
	 * @param password its password
	 */
	public EmbeddedAmqpBroker(String address, int port, String username, String password) {
		this.address = address;
		this.port = (port != 0) ? port : freePort(address);
		this.username = username;
		this.password = password;
	}

	/**
	 * Start the broker; it accepts connections when this returns.
	 * @return this
	 */
	public EmbeddedAmqpBroker start() {
		try {
			this.workDirectory = Files.createTempDirectory("embedded-amqp-broker");
			this.launcher.startup(systemConfig(this.workDirectory));
			return this;
		}
		catch (Exception ex) {
			stop();
			throw new IllegalStateException("The embedded AMQP broker did not start on " + this.address + ":"
					+ this.port + ": " + ex.getMessage(), ex);
		}
	}

	public String getAddress() {
		return this.address;
	}

	public int getPort() {
		return this.port;
	}

	/**
	 * Stop the broker, dropping every message, and delete its work directory.
	 */
	public void stop() {
		try {
			this.launcher.shutdown();
			logger.info("Stopped the embedded AMQP broker on " + this.address + ":" + this.port);
		}
		catch (RuntimeException ex) {
			logger.warn("The embedded AMQP broker did not stop cleanly: " + ex.getMessage());
		}
		Path directory = this.workDirectory;
		this.workDirectory = null;
		if (directory != null) {
			delete(directory);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private Map<String, Object> systemConfig(Path workDirectory) throws IOException {
		Path configuration = copyConfiguration(workDirectory);
		Map<String, Object> context = new HashMap<>();
		context.put("qpid.amqp_port", String.valueOf(this.port));
		context.put("qpid.work_dir", workDirectory.toString());
		context.put("qpid.sample.address", this.address);
		context.put("qpid.sample.username", this.username);
		context.put("qpid.sample.password", this.password);
		context.put("queue.maximumDeliveryAttempts", String.valueOf(MAXIMUM_DELIVERY_ATTEMPTS));
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("type", "Memory");
		attributes.put("initialConfigurationLocation", configuration.toUri().toString());
		// Qpid's default, classpath:system.properties, is a URL it cannot open from an
		// executable jar (its classpath: handler is found by the system class loader
		// only)
		attributes.put("initialSystemPropertiesLocation",
				Files.createFile(workDirectory.resolve("system.properties")).toUri().toString());
		attributes.put("startupLoggedToSystemOut", false);
		attributes.put("context", context);
		return attributes;
	}

	/**
	 * Qpid reads its initial configuration through a {@link java.net.URL}; a
	 * {@code classpath:} one is not one it can open from inside an executable jar, so it
	 * reads a copy in its work directory.
	 */
	private static Path copyConfiguration(Path workDirectory) throws IOException {
		try (InputStream configuration = EmbeddedAmqpBroker.class.getResourceAsStream(CONFIGURATION)) {
			if (configuration == null) {
				throw new IllegalStateException(CONFIGURATION + " is missing from the classpath");
			}
			Path copy = workDirectory.resolve("initial-config.json");
			Files.copy(configuration, copy);
			return copy;
		}
	}

	private static int freePort(String address) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(address, 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on " + address, ex);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			logger.debug("Could not delete " + directory, ex);
		}
	}

}
