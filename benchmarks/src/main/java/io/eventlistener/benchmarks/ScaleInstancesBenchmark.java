package io.eventlistener.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.benchmarks.app.Subscriber;

/**
 * Scale over instances (issue 24): for each observer count, {@code n} application JVMs
 * start at once over the same active rows, sharing one queue prefix (so one partition
 * group) and one schema, first when no queue exists (cold), then again when they do
 * (warm: every instance restarting). A run with {@code partitioning=none} and one
 * instance is the baseline; the others run {@code partitioning=dynamic}. Each instance
 * reports when it was all consuming (see {@link ScaleMain}), its heap after a full GC,
 * threads, consumer channels, the consumers the broker confirmed to it and its buckets;
 * the management API adds each instance's connections, channels and consumers (its
 * connections carry {@link BenchApplication#INSTANCE_PROPERTY}) and the consumers on the
 * run's observer queues in all. The queues and the schema are deleted after each run.
 */
final class ScaleInstancesBenchmark {

	private final Settings settings;

	private final Rabbit rabbit;

	private final Path work;

	ScaleInstancesBenchmark(Settings settings, Rabbit rabbit, Path work) {
		this.settings = settings;
		this.rabbit = rabbit;
		this.work = work;
	}

	/**
	 * One cold and one warm start of {@code instances} instances.
	 * @param observers active observer rows
	 * @param mode {@code none} or {@code dynamic}
	 * @param instances how many instances start at once
	 * @return one row per instance
	 */
	List<Sample> run(int observers, String mode, int instances) throws Exception {
		String prefix = "elbench-inst-" + Long.toString(System.nanoTime(), 36);
		Database database = new Database(prefix);
		database.create(Subscriber.DDL);
		// created here: instances starting at once would race to create them
		database.script("io/eventlistener/outbox/schema-postgresql.sql");
		database.script("io/eventlistener/partition/schema.sql");
		database.observers(observers);
		try {
			String name = observers + "-" + mode + "-" + instances;
			List<Sample> cold = launch(prefix, database, observers, mode, instances, name + "-cold");
			List<Sample> warm = launch(prefix, database, observers, mode, instances, name + "-warm");
			List<Sample> samples = new ArrayList<>();
			for (int i = 0; i < instances; i++) {
				samples.add(cold.get(i).withWarm(warm.get(i).coldSeconds()));
			}
			return samples;
		}
		finally {
			this.rabbit.deleteQueues(
					IntStream.rangeClosed(1, observers).mapToObj((id) -> prefix + ".subscriber." + id).toList());
			this.rabbit.deleteNamespace(prefix);
			database.drop();
		}
	}

	private List<Sample> launch(String prefix, Database database, int observers, String mode, int instances,
			String name) throws Exception {
		List<Process> processes = new ArrayList<>();
		List<Path> results = new ArrayList<>();
		try {
			for (int i = 1; i <= instances; i++) {
				Path result = this.work.resolve("scale-" + name + "-i" + i + ".result");
				Path log = this.work.resolve("scale-" + name + "-i" + i + ".log");
				Files.deleteIfExists(result);
				results.add(result);
				processes.add(new ProcessBuilder(command(prefix, database, observers, mode, instances, i, result))
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start());
			}
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10L * instances);
			for (int i = 0; i < instances; i++) {
				while (!Files.exists(results.get(i)) || Files.size(results.get(i)) == 0) {
					if (!processes.get(i).isAlive() || System.nanoTime() > deadline) {
						throw new IllegalStateException("Instance " + (i + 1) + " of " + name + " failed; see "
								+ this.work.resolve("scale-" + name + "-i" + (i + 1) + ".log"));
					}
					Thread.sleep(100);
				}
			}
			return measure(prefix, observers, mode, instances, results);
		}
		finally {
			// every instance stops (a graceful leave) before the next start
			for (Process process : processes) {
				process.getOutputStream().close();
			}
			for (Process process : processes) {
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
		}
	}

	private List<String> command(String prefix, Database database, int observers, String mode, int instances,
			int instance, Path result) {
		List<String> command = new ArrayList<>(List.of(ThroughputBenchmark.javaExecutable(),
				"-Xmx" + this.settings.scaleHeap(), "-Devent-listener.consumer.partitioning=" + mode,
				"-Dbenchmark.instances=" + instances, "-Dbenchmark.instance=i" + instance, "-Dserver.port=0"));
		for (String setting : List.of("event-listener.consumer.messages-per-ack", "event-listener.startup.mode")) {
			String value = System.getProperty(setting);
			if (value != null) {
				command.add("-D" + setting + "=" + value);
			}
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleMain.class.getName(),
				database.jdbcUrl(), prefix, String.valueOf(observers), result.toString()));
		return command;
	}

	/**
	 * Every instance's own figures and the broker's; the management API refreshes its
	 * figures every few seconds, so it is asked again for up to 30 s until every observer
	 * queue has one consumer.
	 */
	private List<Sample> measure(String prefix, int observers, String mode, int instances, List<Path> results)
			throws IOException, InterruptedException {
		String queues = prefix + ".subscriber.";
		int[] consumed = this.rabbit.queueConsumers(queues);
		for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); consumed[0] < observers
				&& System.nanoTime() < until;) {
			Thread.sleep(1000);
			consumed = this.rabbit.queueConsumers(queues);
		}
		Map<String, int[]> broker = this.rabbit.byClientProperty(BenchApplication.INSTANCE_PROPERTY);
		List<Sample> samples = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			String[] figures = Files.readString(results.get(i)).trim().split(" ");
			int[] own = broker.getOrDefault("i" + (i + 1), new int[3]);
			samples.add(new Sample(observers, mode, instances, i + 1, Long.parseLong(figures[0]) / 1000.0, Double.NaN,
					Long.parseLong(figures[1]) / 1000.0, Long.parseLong(figures[2]) / (1024.0 * 1024),
					Integer.parseInt(figures[3]), Integer.parseInt(figures[4]), Integer.parseInt(figures[5]),
					Integer.parseInt(figures[6]), Long.parseLong(figures[7]), own[0], own[1], own[2], consumed[2],
					consumed[0], consumed[1]));
		}
		return samples;
	}

	/**
	 * One instance of a run.
	 *
	 * @param observers active observer rows
	 * @param mode {@code none} or {@code dynamic}
	 * @param instances instances started at once
	 * @param instance which of them (from 1)
	 * @param coldSeconds from JVM start to all consuming, no queue existing
	 * @param warmSeconds the same when the queues exist (every instance restarting)
	 * @param contextSeconds from JVM start to the application context started (cold)
	 * @param heapMiB heap used after a full GC (cold, once all consuming)
	 * @param threads live threads
	 * @param consumerChannels the consumer engine's channels
	 * @param consumers the consumers the broker confirmed to the engine
	 * @param buckets buckets this instance consumes (all 1,024 with {@code none})
	 * @param generation the assignment's generation when it was all consuming: how many
	 * times it was stored ({@code 0} with {@code none})
	 * @param brokerConnections this instance's connections, per the broker
	 * @param brokerChannels their channels
	 * @param brokerConsumers their consumers
	 * @param queueConsumers consumers on the run's observer queues, of every instance
	 * @param queuesWithOneConsumer observer queues with exactly one consumer
	 * @param queues observer queues
	 */
	record Sample(int observers, String mode, int instances, int instance, double coldSeconds, double warmSeconds,
			double contextSeconds, double heapMiB, int threads, int consumerChannels, int consumers, int buckets,
			long generation, int brokerConnections, int brokerChannels, int brokerConsumers, int queueConsumers,
			int queuesWithOneConsumer, int queues) {

		Sample withWarm(double seconds) {
			return new Sample(this.observers, this.mode, this.instances, this.instance, this.coldSeconds, seconds,
					this.contextSeconds, this.heapMiB, this.threads, this.consumerChannels, this.consumers,
					this.buckets, this.generation, this.brokerConnections, this.brokerChannels, this.brokerConsumers,
					this.queueConsumers, this.queuesWithOneConsumer, this.queues);
		}

	}

}
