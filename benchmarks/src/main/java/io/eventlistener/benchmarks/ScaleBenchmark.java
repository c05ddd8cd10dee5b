package io.eventlistener.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.eventlistener.benchmarks.app.Subscriber;

/**
 * Scale: for each observer count, a fresh JVM starts the application over that many
 * active rows in PostgreSQL, first when the queues do not exist yet (cold), then again
 * when they do (warm: an application restarting). Measured: time from JVM start to every
 * observer consuming, heap after a full GC, threads, and what the broker reports
 * (connections and channels of the application, and that every observer queue has exactly
 * one consumer). The queues are deleted after each run.
 */
final class ScaleBenchmark {

	private final Settings settings;

	private final Rabbit rabbit;

	private final Path work;

	ScaleBenchmark(Settings settings, Rabbit rabbit, Path work) {
		this.settings = settings;
		this.rabbit = rabbit;
		this.work = work;
	}

	Sample run(int observers, int round) throws Exception {
		String prefix = "elbench-scale-" + Long.toString(System.nanoTime(), 36);
		Database database = new Database(prefix);
		database.create(Subscriber.DDL);
		database.observers(observers);
		try {
			// the broker's memory before the queues exist, for its memory per observer
			long brokerBefore = RawFloor.memory("total_rss");
			Sample cold = launch(prefix, database, observers, observers + "-" + round + "-cold", brokerBefore);
			if (this.settings.smoke()) {
				return cold;
			}
			// the same again, now that the queues exist: an application restarting
			Sample warm = launch(prefix, database, observers, observers + "-" + round + "-warm", brokerBefore);
			return cold.withWarm(warm.consumingSeconds());
		}
		finally {
			cleanUp(prefix, observers, database);
		}
	}

	private Sample launch(String prefix, Database database, int observers, String name, long brokerBefore)
			throws Exception {
		Path result = this.work.resolve("scale-" + name + ".result");
		Path log = this.work.resolve("scale-" + name + ".log");
		Files.deleteIfExists(result);
		List<String> command = new ArrayList<>(
				List.of(ThroughputBenchmark.javaExecutable(), "-Xmx" + this.settings.scaleHeap()));
		if (this.settings.jfr()) {
			command.add("-XX:StartFlightRecording=filename=" + this.work.resolve("scale-" + name + ".jfr")
					+ ",settings=profile");
		}
		for (String setting : List.of("event-listener.consumer.messages-per-ack", "event-listener.startup.mode")) {
			String value = System.getProperty(setting);
			if (value != null) {
				command.add("-D" + setting + "=" + value);
			}
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleMain.class.getName(),
				database.jdbcUrl(), prefix, String.valueOf(observers), result.toString()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
			while (!Files.exists(result) || Files.size(result) == 0) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					throw new IllegalStateException("Scale run with " + observers + " observers failed; see " + log);
				}
				Thread.sleep(100);
			}
			String[] figures = Files.readString(result).trim().split(" ");
			// the management API refreshes its figures every few seconds
			String queues = prefix + ".subscriber.";
			int[] consumed = this.rabbit.queuesWithOneConsumer(queues);
			int[] connections = this.rabbit.connectionsAndChannels(prefix + ".");
			for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); (consumed[0] < observers
					|| connections[1] < observers) && System.nanoTime() < until;) {
				Thread.sleep(1000);
				consumed = this.rabbit.queuesWithOneConsumer(queues);
				connections = this.rabbit.connectionsAndChannels(prefix + ".");
			}
			double brokerKiB = (RawFloor.memory("total_rss") - brokerBefore) / 1024.0 / observers;
			return new Sample(observers, Long.parseLong(figures[0]) / 1000.0, Double.NaN,
					Long.parseLong(figures[1]) / 1000.0, Long.parseLong(figures[2]) / (1024.0 * 1024),
					Integer.parseInt(figures[3]), Integer.parseInt(figures[4]), connections[0], connections[1],
					consumed[0], consumed[1], brokerKiB);
		}
		finally {
			process.getOutputStream().close();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private void cleanUp(String prefix, int observers, Database database) throws IOException {
		this.rabbit
			.deleteQueues(IntStream.rangeClosed(1, observers).mapToObj((id) -> prefix + ".subscriber." + id).toList());
		this.rabbit.deleteNamespace(prefix);
		database.drop();
	}

	/**
	 * One scale run.
	 *
	 * @param observers active observer rows
	 * @param consumingSeconds from JVM start to every observer consuming (cold: no queue
	 * existed)
	 * @param warmSeconds the same when the queues already exist (a restart)
	 * @param contextSeconds from JVM start to the application context started
	 * @param heapMiB heap used after a full GC
	 * @param threads live threads
	 * @param shards consumer shards
	 * @param connections broker connections of the application
	 * @param channels broker channels of the application
	 * @param queuesWithOneConsumer observer queues with exactly one consumer, per the
	 * broker
	 * @param queues observer queues, per the broker
	 * @param brokerKiBPerObserver the broker's resident memory with every observer
	 * consuming, less before the run's queues existed, per observer
	 */
	record Sample(int observers, double consumingSeconds, double warmSeconds, double contextSeconds, double heapMiB,
			int threads, int shards, int connections, int channels, int queuesWithOneConsumer, int queues,
			double brokerKiBPerObserver) {

		Sample withWarm(double seconds) {
			return new Sample(this.observers, this.consumingSeconds, seconds, this.contextSeconds, this.heapMiB,
					this.threads, this.shards, this.connections, this.channels, this.queuesWithOneConsumer, this.queues,
					this.brokerKiBPerObserver);
		}

	}

}
