package io.eventlistener.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak's own RabbitMQ node, because the soak stops and starts its broker: never the
 * shared one on 5672. Node {@code rabbit-soak@localhost}, AMQP on 127.0.0.1:5690,
 * management API on 15690, distribution on 25690, its data and logs under
 * {@code target/soak-rabbit} (owned by the {@code rabbitmq} user, which the server
 * scripts run as), as {@code .ci/rabbitmq-cluster} starts its nodes. Needs root and the
 * {@code rabbitmq-server} package (with its management plugin).
 */
final class SoakBroker implements AutoCloseable {

	static final String NODE = "rabbit-soak@localhost";

	static final int PORT = 5690;

	static final int MANAGEMENT_PORT = 15690;

	private static final int DIST_PORT = 25690;

	private final Path base;

	SoakBroker(Path base) {
		this.base = base.toAbsolutePath();
	}

	/**
	 * Start the node from empty data (a node left running by an earlier run is stopped
	 * first) and wait until it accepts connections.
	 */
	void start() throws IOException, InterruptedException {
		if (ctl(60, "status") == 0) {
			ctl(120, "stop");
		}
		delete(this.base);
		Files.createDirectories(this.base.resolve("mnesia"));
		Files.createDirectories(this.base.resolve("log"));
		Files.writeString(this.base.resolve("rabbitmq.conf"),
				String.join("\n", "listeners.tcp.local = 127.0.0.1:" + PORT, "management.tcp.ip = 127.0.0.1",
						"management.tcp.port = " + MANAGEMENT_PORT, ""));
		Files.writeString(this.base.resolve("enabled_plugins"), "[rabbitmq_management].\n");
		run(30, List.of("chown", "-R", "rabbitmq:rabbitmq", this.base.toString()));
		if (run(60, List.of("rabbitmq-server", "-detached")) != 0) {
			throw new IllegalStateException("rabbitmq-server -detached failed for " + NODE + "; see " + log());
		}
		awaitStartup();
	}

	/** {@code rabbitmqctl stop_app}: the broker goes away, the node's VM stays. */
	void stopApp() throws IOException, InterruptedException {
		check(ctl(120, "stop_app"), "stop_app");
	}

	/** {@code rabbitmqctl start_app}, returning once the broker accepts connections. */
	void startApp() throws IOException, InterruptedException {
		check(ctl(180, "start_app"), "start_app");
		awaitStartup();
	}

	String version() throws IOException, InterruptedException {
		return new String(
				process(List.of("rabbitmqctl", "-q", "-n", NODE, "version")).start().getInputStream().readAllBytes())
			.trim();
	}

	Path log() {
		return this.base.resolve("log");
	}

	private void awaitStartup() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
		// right after -detached the node is not registered with epmd yet
		while (ctl(130, "await_startup", "--timeout", "120") != 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(NODE + " did not start; see " + log());
			}
			Thread.sleep(1000);
		}
	}

	private int ctl(int timeoutSeconds, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q", "-n", NODE));
		command.addAll(List.of(arguments));
		return run(timeoutSeconds, command);
	}

	private int run(int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
		Process process = process(command).redirectErrorStream(true)
			.redirectOutput(
					ProcessBuilder.Redirect.appendTo(this.base.resolveSibling("soak-rabbit-commands.log").toFile()))
			.start();
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

	private ProcessBuilder process(List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command);
		Map<String, String> environment = builder.environment();
		environment.put("RABBITMQ_NODENAME", NODE);
		environment.put("RABBITMQ_NODE_PORT", String.valueOf(PORT));
		environment.put("RABBITMQ_DIST_PORT", String.valueOf(DIST_PORT));
		environment.put("RABBITMQ_CONFIG_FILE", this.base.resolve("rabbitmq.conf").toString());
		environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", this.base.resolve("enabled_plugins").toString());
		environment.put("RABBITMQ_MNESIA_BASE", this.base.resolve("mnesia").toString());
		environment.put("RABBITMQ_LOG_BASE", this.base.resolve("log").toString());
		environment.put("RABBITMQ_PID_FILE", this.base.resolve("pid").toString());
		// spare the machine's shared cores: schedulers sleep instead of spinning
		environment.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "+sbwt none +sbwtdcpu none +sbwtdio none");
		return builder;
	}

	private static void check(int exitValue, String command) {
		if (exitValue != 0) {
			throw new IllegalStateException("rabbitmqctl -n " + NODE + " " + command + " failed (" + exitValue + ")");
		}
	}

	private static void delete(Path directory) throws IOException {
		if (Files.exists(directory)) {
			try (var paths = Files.walk(directory)) {
				for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}
	}

	/** Stop the node (its data stays under target for a look afterwards). */
	@Override
	public void close() {
		try {
			ctl(120, "stop");
		}
		catch (IOException ex) {
			System.err.println("soak | could not stop " + NODE + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
