package io.eventlistener.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The three-node RabbitMQ cluster of {@code .ci/rabbitmq-cluster} (nodes
 * {@code rabbit-c1..c3@localhost}, AMQP on 127.0.0.1:5681-5683), beside the ordinary
 * broker on 5672, which it never touches. As a JUnit extension it starts the cluster
 * before the test class (idempotently: one already up is reused, a half-made one repaired
 * or rebuilt) and stops it afterwards, so {@code ./mvnw verify} needs nothing more; when
 * the cluster cannot be started the tests fail, saying why. Nodes are stopped, started
 * and killed with the script and {@code rabbitmqctl}, as an operator would.
 */
public final class RabbitCluster implements BeforeAllCallback, AfterAllCallback {

	/** The nodes, numbered from 1. */
	public static final int NODES = 3;

	private static final Path SCRIPT = script();

	@Override
	public void beforeAll(ExtensionContext context) {
		String output = run(300, "start");
		System.out.println(output.strip());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (!"true".equals(System.getenv("EVENT_LISTENER_KEEP_CLUSTER"))) {
			// the nodes cost the shared machine memory and CPU: stop them when not
			// testing
			run(120, "stop");
		}
	}

	/**
	 * The AMQP address of a node.
	 */
	public static String address(int node) {
		return "127.0.0.1:" + port(node);
	}

	public static int port(int node) {
		return 5680 + node;
	}

	public static String nodeName(int node) {
		return "rabbit-c" + node + "@localhost";
	}

	/**
	 * Every node's address, {@code first} first: what {@code spring.rabbitmq.addresses}
	 * lists for an application that connects to that node while it is up.
	 */
	public static String addresses(int first) {
		List<String> addresses = new ArrayList<>();
		for (int i = 0; i < NODES; i++) {
			addresses.add(address((first - 1 + i) % NODES + 1));
		}
		return String.join(",", addresses);
	}

	/**
	 * Stop the RabbitMQ application on a node ({@code rabbitmqctl stop_app}): its clients
	 * are disconnected, the Erlang VM keeps running.
	 */
	public static void stopApp(int node) {
		run(120, "ctl", String.valueOf(node), "stop_app");
	}

	public static void startApp(int node) {
		run(120, "ctl", String.valueOf(node), "start_app");
		run(120, "ctl", String.valueOf(node), "await_startup");
	}

	/**
	 * Kill a node's Erlang VM with {@code kill -9}: no goodbye to its clients or peers.
	 * @return the VM's process, to wait for its end
	 */
	public static ProcessHandle kill(int node) {
		long pid = Long.parseLong(run(30, "pid", String.valueOf(node)).strip());
		ProcessHandle vm = ProcessHandle.of(pid)
			.orElseThrow(() -> new IllegalStateException("No process " + pid + " for " + nodeName(node)));
		vm.destroyForcibly();
		return vm;
	}

	/**
	 * Start a stopped or killed node again; it rejoins the cluster with its data.
	 */
	public static void startNode(int node) {
		run(300, "start-node", String.valueOf(node));
	}

	/**
	 * Make sure all three nodes run as one cluster, starting or repairing what is not.
	 */
	public static void ensureUp() {
		run(300, "start");
	}

	/**
	 * The node that leads each quorum queue whose name starts with a prefix, as a node of
	 * the cluster that is up reports it.
	 */
	public static Map<String, String> leaders(int askedNode, String prefix) {
		Map<String, String> leaders = new HashMap<>();
		for (String line : run(60, "ctl", String.valueOf(askedNode), "list_queues", "name", "leader",
				"--no-table-headers")
			.split("\n")) {
			String[] columns = line.strip().split("\\s+");
			if (columns.length == 2 && columns[0].startsWith(prefix)) {
				leaders.put(columns[0], columns[1]);
			}
		}
		return leaders;
	}

	/**
	 * The consumer count of each queue, asked with passive declarations on one node; a
	 * queue missing (or not answering, its leader being elected) counts as 0.
	 */
	public static Map<String, Integer> consumers(int node, Collection<String> queues) {
		Map<String, Integer> counts = new HashMap<>();
		try (Connection connection = connectionFactory(node).newConnection("cluster-probe")) {
			for (String queue : queues) {
				Channel channel = connection.createChannel();
				try {
					counts.put(queue, channel.queueDeclarePassive(queue).getConsumerCount());
					channel.close();
				}
				catch (IOException | RuntimeException ex) {
					counts.put(queue, 0);
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot ask " + nodeName(node) + " about queues: " + ex, ex);
		}
		return counts;
	}

	/**
	 * Delete queues and exchanges a test declared on the cluster, through a node that is
	 * up (quorum queues hold open files on every node: never leave them behind).
	 */
	public static void delete(int node, Collection<String> queues, Collection<String> exchanges) {
		try (Connection connection = connectionFactory(node).newConnection("cluster-cleanup")) {
			Channel channel = connection.createChannel();
			for (String queue : queues) {
				channel.queueDelete(queue);
			}
			for (String exchange : exchanges) {
				channel.exchangeDelete(exchange);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cleaning up on " + nodeName(node) + " failed: " + ex, ex);
		}
	}

	private static ConnectionFactory connectionFactory(int node) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(port(node));
		factory.setAutomaticRecoveryEnabled(false);
		return factory;
	}

	private static String run(int timeoutSeconds, String... arguments) {
		List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
						+ "). The cluster tests need a three-node RabbitMQ cluster on this machine: run "
						+ ".ci/rabbitmq-cluster start as root (it needs the rabbitmq-server package) and see its "
						+ "output:\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException(String.join(" ", command) + " could not run: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path script() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path script = dir.resolve(".ci/rabbitmq-cluster");
			if (Files.isExecutable(script)) {
				return script;
			}
		}
		throw new IllegalStateException("No .ci/rabbitmq-cluster above " + Path.of("").toAbsolutePath());
	}

}
