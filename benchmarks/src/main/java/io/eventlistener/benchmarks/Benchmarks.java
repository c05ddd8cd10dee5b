package io.eventlistener.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import com.rabbitmq.client.impl.ClientVersion;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.boot.SpringBootVersion;

/**
 * Runs every benchmark on the local RabbitMQ and PostgreSQL and prints one Markdown
 * report, also written with its chart to {@code --out} ({@code docs/benchmarks} by
 * default): {@code results.md} and {@code benchmark.png}. The scale runs' logs go to
 * {@code target/benchmark-runs}. See {@link Settings} for the arguments; {@code --smoke}
 * is the few-second run the build does.
 */
public final class Benchmarks {

	/** Consumers per channel of the raw-client floor. */
	static final int FLOOR_CONSUMERS_PER_CHANNEL = 100;

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		consumerSettings(args);
		System.out.println(run(Settings.parse(args)));
		System.exit(0);
	}

	/**
	 * {@code --messages-per-ack=n} and {@code --startup-mode=blocking|background} set the
	 * starter's settings of the same names for every contender and scale run.
	 */
	private static void consumerSettings(String[] args) {
		Map<String, String> settings = Map.of("--messages-per-ack=", "event-listener.consumer.messages-per-ack",
				"--startup-mode=", "event-listener.startup.mode");
		for (String arg : String.join(" ", args).trim().split("\\s+")) {
			settings.forEach((option, property) -> {
				if (arg.startsWith(option)) {
					System.setProperty(property, arg.substring(option.length()));
				}
			});
		}
	}

	static String run(Settings settings) throws Exception {
		Files.createDirectories(settings.out());
		Database.cleanUpOnExit();
		String startLoad = load();
		List<Map<String, Double>> rounds = new ArrayList<>();
		List<Map<String, long[]>> latencies = new ArrayList<>();
		List<ScaleBenchmark.Sample> scale = new ArrayList<>();
		List<InstancesRun> instances = new ArrayList<>();
		List<long[][]> live = new ArrayList<>();
		List<String[]> floor = new ArrayList<>();
		boolean liveMeasured = settings.runs("live");
		String rabbitVersion;
		String throughputLoad;
		String inbox;
		try (Rabbit rabbit = new Rabbit()) {
			rabbitVersion = rabbit.version();
			if (settings.runs("throughput")) {
				try (ThroughputBenchmark throughput = new ThroughputBenchmark(settings, rabbit,
						"elbench-tp-" + Long.toString(System.nanoTime(), 36))) {
					for (int round = 0; round < settings.rounds(); round++) {
						rounds.add(throughput.round());
						latencies.add(throughput.latencies());
						log("throughput round " + (round + 1) + ": " + rounds.get(round) + " (load " + load() + ")");
					}
				}
			}
			throughputLoad = load();
			inbox = settings.runs("inbox") ? new InboxBenchmark(settings).run() : null;
			Path logs = settings.smoke() ? settings.out() : Path.of("target", "benchmark-runs");
			Files.createDirectories(logs);
			ScaleBenchmark scaling = new ScaleBenchmark(settings, rabbit, logs);
			boolean overInstances = settings.runs("scale") && !settings.instances().isEmpty();
			ScaleInstancesBenchmark overInstancesScaling = new ScaleInstancesBenchmark(settings, rabbit, logs);
			for (int observers : overInstances ? settings.scaleCounts() : List.<Integer>of()) {
				List<String> runs = new ArrayList<>(List.of("none:1"));
				settings.instances().forEach((count) -> runs.add("dynamic:" + count));
				for (String run : runs) {
					String[] modeAndCount = run.split(":");
					String before = load();
					try {
						List<ScaleInstancesBenchmark.Sample> samples = overInstancesScaling.run(observers,
								modeAndCount[0], Integer.parseInt(modeAndCount[1]));
						instances.add(new InstancesRun(samples, before, load(), null));
						samples.forEach((sample) -> log("scale over instances " + sample));
						log("scale over instances: " + run + " done (load " + before + " -> " + load() + ")");
					}
					catch (IllegalStateException ex) {
						// one failed start must not lose the runs before and after it
						instances.add(new InstancesRun(List.of(), before, load(),
								observers + " observers, " + run.replace(":", " x") + ": " + ex.getMessage()));
						log("scale over instances: " + run + " failed: " + ex.getMessage());
					}
				}
			}
			for (int observers : (settings.runs("scale") && !overInstances) ? settings.scaleCounts()
					: List.<Integer>of()) {
				List<ScaleBenchmark.Sample> samples = new ArrayList<>();
				int runs = (observers > 10_000) ? 1 : settings.scaleRounds();
				for (int round = 0; round < runs; round++) {
					samples.add(scaling.run(observers, round));
					log("scale " + samples.get(round) + " (load " + load() + ")");
				}
				scale.add(median(samples));
			}
			for (int observers : settings.runs("floor") ? settings.scaleCounts() : List.<Integer>of()) {
				String before = load();
				RawFloor.Result result = RawFloor.run(observers, FLOOR_CONSUMERS_PER_CHANNEL, 32, 32);
				floor.add(new String[] { result.toString(), before, load() });
				log("floor " + result + " (load " + before + " -> " + load() + ")");
			}
			LiveRegistrationBenchmark registration = new LiveRegistrationBenchmark(settings, rabbit);
			for (int round = 0; liveMeasured && round < settings.rounds(); round++) {
				long[][] measured = registration.run();
				if (measured == null) {
					log("live registration: observers were not registered live (no model watcher); not measured");
					liveMeasured = false;
				}
				else {
					live.add(measured);
					log("live registration round " + (round + 1) + " done (load " + load() + ")");
				}
			}
		}
		Map<String, Double> rates = medians(rounds);
		Map<String, Double> toPlain = ratios(rounds, "plain");
		Map<String, Double> toPerfTest = ratios(rounds, "PerfTest");
		Map<String, double[]> latency = latency(latencies);
		String report = report(settings, rabbitVersion, startLoad, throughputLoad, load(), rates, toPlain, toPerfTest,
				latency, scale) + Report.instances(instances) + Report.floor(floor, scale, startLoad)
				+ "\n## Live registration\n\n" + Report.live(settings, liveMeasured ? live : List.of())
				+ ((inbox != null) ? "\n## The inbox's cost\n\n" + inbox : "");
		if (!settings.smoke() || settings.out().toString().contains("target")) {
			Files.writeString(settings.out().resolve("results.md"), report);
			Chart.write(settings.out().resolve("benchmark.png"), rates, scale, "event-listener benchmark, " + date()
					+ ", " + Runtime.getRuntime().availableProcessors() + " cores, RabbitMQ " + rabbitVersion);
		}
		return report;
	}

	private static String report(Settings settings, String rabbitVersion, String startLoad, String throughputLoad,
			String endLoad, Map<String, Double> rates, Map<String, Double> toPlain, Map<String, Double> toPerfTest,
			Map<String, double[]> latency, List<ScaleBenchmark.Sample> scale) {
		StringBuilder report = new StringBuilder();
		report.append("# event-listener benchmark\n\n");
		report.append(String.format("- date: %s%n", date()));
		report.append(String.format(
				"- machine: %d cores, %.1f GiB RAM; load average (1/5/15 min) at start %s, "
						+ "after throughput %s, at end %s%n",
				Runtime.getRuntime().availableProcessors(), memoryGiB(), startLoad, throughputLoad, endLoad));
		report.append(validity(startLoad));
		report.append(String.format(
				"- versions: Java %s, RabbitMQ %s, Spring AMQP %s, Spring Boot %s, RabbitMQ Java client %s, "
						+ "PerfTest %s%n",
				System.getProperty("java.version"), rabbitVersion,
				Message.class.getPackage().getImplementationVersion(), SpringBootVersion.getVersion(),
				ClientVersion.VERSION, com.rabbitmq.perf.PerfTest.class.getPackage().getImplementationVersion()));
		report.append(String.format("- consumers: messages-per-ack=%s; event-listener.startup.mode=%s%n",
				System.getProperty("event-listener.consumer.messages-per-ack", "1"),
				System.getProperty("event-listener.startup.mode", "blocking")));
		report.append(String.format("- throughput: %,d persistent 1 KiB JSON events drained per contender and round, "
				+ "prefetch %d, one ack per message after the handler; median of %d rounds; ratios are medians of "
				+ "per-round ratios%n", settings.messages(), ThroughputBenchmark.PREFETCH, settings.rounds()));
		report.append(String.format("- scale: default settings, -Xmx%s, a fresh JVM per start; cold: no queue exists "
				+ "yet, warm: the same start again once they do (a restart); figures other than the warm time are "
				+ "from the cold start; median of %d runs (1 run above 10,000 observers)%n%n", settings.scaleHeap(),
				settings.scaleRounds()));
		report.append("## Throughput and latency\n\n");
		report.append(Report.throughput(settings, rates, toPlain, toPerfTest, latency));
		if (!scale.isEmpty() || settings.instances().isEmpty()) {
			report.append("\n## Scale\n\n");
			report.append(Report.scale(scale));
		}
		return report.toString();
	}

	/**
	 * Whether the run counts: not when the one-minute load average was above the core
	 * count at its start (other work then shared the cores, and the figures would say
	 * more about it than about the contenders). The load later in the run is the
	 * benchmark's own, so it is recorded, not judged.
	 */
	private static String validity(String startLoad) {
		int cores = Runtime.getRuntime().availableProcessors();
		double load = Double.parseDouble(startLoad.split("/")[0]);
		return (load > cores)
				? String.format("- **not a valid run**: the load average was %.1f at its start, above the %d cores; "
						+ "the figures are shown, not to be compared%n", load, cores)
				: String.format("- valid run: load average %.1f at its start, at most the %d cores%n", load, cores);
	}

	private static Map<String, Double> medians(List<Map<String, Double>> rounds) {
		Map<String, Double> medians = new LinkedHashMap<>();
		if (rounds.isEmpty()) {
			return medians;
		}
		rounds.get(0)
			.keySet()
			.forEach((name) -> medians.put(name,
					Stats.median(rounds.stream().map((round) -> round.get(name)).toList())));
		return medians;
	}

	private static Map<String, Double> ratios(List<Map<String, Double>> rounds, String reference) {
		Map<String, Double> ratios = new LinkedHashMap<>();
		if (rounds.isEmpty()) {
			return ratios;
		}
		rounds.get(0)
			.keySet()
			.stream()
			.filter((name) -> name.startsWith("starter") || name.equals("plain"))
			.filter((name) -> !name.equals(reference))
			.forEach((name) -> ratios.put(name,
					Stats.median(rounds.stream().map((round) -> round.get(name) / round.get(reference)).toList())));
		return ratios;
	}

	private static Map<String, double[]> latency(List<Map<String, long[]>> rounds) {
		Map<String, double[]> latency = new LinkedHashMap<>();
		if (rounds.isEmpty()) {
			return latency;
		}
		rounds.get(0).keySet().forEach((name) -> {
			double[] figures = new double[3];
			double[] percentiles = { 50, 99, 100 };
			for (int i = 0; i < 3; i++) {
				double percentile = percentiles[i];
				figures[i] = Stats.median(
						rounds.stream().map((round) -> Stats.percentileMillis(round.get(name), percentile)).toList());
			}
			latency.put(name, figures);
		});
		return latency;
	}

	private static ScaleBenchmark.Sample median(List<ScaleBenchmark.Sample> samples) {
		return new ScaleBenchmark.Sample(samples.get(0).observers(),
				median(samples, ScaleBenchmark.Sample::consumingSeconds),
				median(samples, ScaleBenchmark.Sample::warmSeconds),
				median(samples, ScaleBenchmark.Sample::contextSeconds), median(samples, ScaleBenchmark.Sample::heapMiB),
				(int) median(samples, ScaleBenchmark.Sample::threads),
				(int) median(samples, ScaleBenchmark.Sample::shards),
				(int) median(samples, ScaleBenchmark.Sample::connections),
				(int) median(samples, ScaleBenchmark.Sample::channels),
				samples.stream().mapToInt(ScaleBenchmark.Sample::queuesWithOneConsumer).min().orElse(0),
				samples.stream().mapToInt(ScaleBenchmark.Sample::queues).max().orElse(0),
				median(samples, ScaleBenchmark.Sample::brokerKiBPerObserver));
	}

	private static double median(List<ScaleBenchmark.Sample> samples, ToDoubleFunction<ScaleBenchmark.Sample> figure) {
		return Stats.median(samples.stream().map(figure::applyAsDouble).toList());
	}

	static String load() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + "/" + fields[1] + "/" + fields[2];
		}
		catch (IOException ex) {
			return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	private static double memoryGiB() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
		}
		return Double.NaN;
	}

	private static String date() {
		return OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
	}

	private static void log(String line) {
		System.err.println("[benchmark] " + line);
	}

	/**
	 * The instances of one scale run over instances, with the load average before and
	 * after it.
	 *
	 * @param samples one per instance
	 * @param loadBefore the load average (1/5/15 min) before the run
	 * @param loadAfter the load average after it
	 * @param failure why it failed, or {@code null}
	 */
	record InstancesRun(List<ScaleInstancesBenchmark.Sample> samples, String loadBefore, String loadAfter,
			@Nullable String failure) {
	}

}
