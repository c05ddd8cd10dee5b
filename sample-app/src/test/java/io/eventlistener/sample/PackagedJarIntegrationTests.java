package io.eventlistener.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The executable jar that {@code package} builds, run as a user runs it:
 * {@code java -jar sample-app-*.jar} in a JVM of its own, with the embedded broker and H2
 * and with {@code --spring.profiles.active=rabbitmq}. Each run waits for health UP, walks
 * README's curl flow over HTTP, then stops the JVM with SIGTERM (only that child's pid),
 * which must end it with status 0 and nothing at ERROR or a stack trace in its output.
 * Run by failsafe after {@code package}; {@code -Dsample.jar} names the jar.
 */
class PackagedJarIntegrationTests {

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void jarRunsOnTheEmbeddedBrokerAndH2AndStopsCleanlyOnSigterm() throws Exception {
		Path log = run("embedded");
		assertThat(Files.readString(log)).contains("Started the embedded AMQP broker")
			.contains("Stopped the embedded AMQP broker");
		assertThat(lastLine(log)).as("the broker stops after every other bean")
			.contains("Stopped the embedded AMQP broker");
	}

	@Test
	void jarRunsOnRabbitMqAndPostgresqlAndStopsCleanlyOnSigterm() throws Exception {
		String namespace = LocalServices.createNamespace();
		try {
			List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=rabbitmq"));
			LocalServices.namespaceSettings(namespace).forEach((setting) -> arguments.add("--" + setting));
			Path log = run("rabbitmq", arguments.toArray(String[]::new));
			assertThat(Files.readString(log)).contains("Not starting the embedded AMQP broker")
				.contains("jdbc:postgresql://127.0.0.1:5432/test");
		}
		finally {
			LocalServices.dropNamespace(namespace);
		}
	}

	private Path run(String name, String... arguments) throws Exception {
		int port = freePort();
		Path log = Path.of("target", "packaged-jar-" + name + ".log");
		List<String> command = new ArrayList<>(
				List.of(javaCommand(), "-jar", jar().toString(), "--server.port=" + port));
		command.addAll(List.of(arguments));
		long started = System.nanoTime();
		Process application = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			SampleApi api = new SampleApi(port);
			await().atMost(START_TIMEOUT)
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.failFast("the application exited", () -> !application.isAlive())
				.until(() -> api.get("/actuator/health").get("status").asString(), "UP"::equals);
			long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			walkReadmeFlow(api);

			long signalled = System.nanoTime();
			// Process.destroy() is SIGTERM on Unix, sent to this child only
			application.destroy();
			assertThat(application.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.as("stopped within %s of SIGTERM", STOP_TIMEOUT)
				.isTrue();
			long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
			System.out.println("Packaged jar (" + name + "): health UP " + startMillis + " ms after launch, exited "
					+ stopMillis + " ms after SIGTERM");
			assertThat(application.exitValue()).as("exit status after SIGTERM").isZero();
			String output = Files.readString(log);
			assertThat(output).contains("SIGTERM received: shutting down gracefully")
				.doesNotContain(" ERROR ")
				.doesNotContain("Exception")
				.doesNotContain("\tat ");
			return log;
		}
		finally {
			application.destroyForcibly();
		}
	}

	/** README's curl flow, in its order. */
	private static void walkReadmeFlow(SampleApi api) {
		long invoices = api.createSubscription("invoices", "model.Invoice.*.create");
		await().atMost(FLOW_TIMEOUT).until(() -> api.isRegistered(invoices));
		assertThat(api.publish("Invoice", "7", "create")).isEqualTo("model.Invoice.7.create");
		await().atMost(FLOW_TIMEOUT)
			.untilAsserted(() -> assertThat(api.deliveries(invoices)).containsExactly("model.Invoice.7.create"));
		api.changeSubscription(invoices, Map.of("routingKeys", List.of("model.Invoice.*.paid")));
		api.deleteSubscription(invoices);
		await().atMost(FLOW_TIMEOUT).until(() -> !api.isRegistered(invoices));
		assertThat(api.get("/actuator/eventlistener").get("observers").has("Subscription")).isTrue();
		assertThat(api.get("/actuator/health").get("components").get("eventListener").get("status").asString())
			.isEqualTo("UP");
	}

	private static Path jar() {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("-Dsample.jar (set by failsafe in sample-app's POM) names the executable jar").isNotNull();
		Path path = Path.of(jar);
		assertThat(path).as("the jar 'package' builds: run './mvnw -pl sample-app -am verify'").isRegularFile();
		return path;
	}

	private static String javaCommand() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static String lastLine(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log).stream().filter((line) -> !line.isBlank()).toList();
		return lines.get(lines.size() - 1);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
	}

}
