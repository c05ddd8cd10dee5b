package io.eventlistener.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * The Markdown tables of a run.
 */
final class Report {

	private Report() {
	}

	static String label(String contender) {
		if (contender.equals("PerfTest")) {
			return "RabbitMQ PerfTest";
		}
		if (contender.equals("plain")) {
			return "plain Spring AMQP listener";
		}
		String observers = contender.substring("starter-".length());
		return String.format("starter, %,d observer%s", Integer.parseInt(observers), observers.equals("1") ? "" : "s");
	}

	static String throughput(Settings settings, Map<String, Double> rates, Map<String, Double> toPlain,
			Map<String, Double> toPerfTest, Map<String, double[]> latency) {
		StringBuilder table = new StringBuilder();
		table.append(String.format(
				"| contender | events/s | ÷ plain | ÷ PerfTest | latency p50 / p99 / max (ms) at %,d events/s |%n",
				settings.latencyRate()));
		table.append("| --- | ---: | ---: | ---: | ---: |\n");
		rates.forEach((contender, rate) -> {
			double[] millis = latency.get(contender);
			table.append(String.format("| %s | %,.0f | %s | %s | %s |%n", label(contender), rate,
					ratio(toPlain.get(contender)), ratio(toPerfTest.get(contender)),
					(millis != null) ? String.format("%.1f / %.1f / %.1f", millis[0], millis[1], millis[2]) : "—"));
		});
		return table.toString();
	}

	static String scale(List<ScaleBenchmark.Sample> samples) {
		StringBuilder table = new StringBuilder();
		table.append("| active observers | JVM start → all consuming, cold (s) | … warm (s) "
				+ "| JVM start → context started (s) | heap after full GC (MiB) | threads "
				+ "| consumer channels (multiplexed) or shards (container) | broker connections | broker channels "
				+ "| broker memory per observer (KiB) | queues with exactly 1 consumer |\n");
		table.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
		for (ScaleBenchmark.Sample sample : samples) {
			table.append(String.format("| %,d | %.1f | %.1f | %.1f | %.0f | %d | %d | %d | %,d | %.1f | %,d of %,d |%n",
					sample.observers(), sample.consumingSeconds(), sample.warmSeconds(), sample.contextSeconds(),
					sample.heapMiB(), sample.threads(), sample.shards(), sample.connections(), sample.channels(),
					sample.brokerKiBPerObserver(), sample.queuesWithOneConsumer(), sample.queues()));
		}
		return table.toString();
	}

	/**
	 * The scale runs over instances: a row per instance; the run's broker-wide figures
	 * and load averages on its first row.
	 * @param runs the runs, in order
	 */
	static String instances(List<Benchmarks.InstancesRun> runs) {
		if (runs.isEmpty()) {
			return "";
		}
		StringBuilder table = new StringBuilder("\n## Scale over instances\n\n");
		table.append("The instances of a run start at once over the same observer rows and queue prefix (one "
				+ "partition group). All consuming: with `none`, the broker confirmed a consumer for every observer; "
				+ "with `dynamic`, the stored assignment gives every instance its fair share of the 1,024 buckets, "
				+ "this instance consumes exactly its own (none kept for a hand-over) and the broker confirmed a "
				+ "consumer for each of their queues. Heap, threads, buckets and consumers are the cold start's; the "
				+ "broker's columns are read through the management API once every instance was all consuming "
				+ "(its figures lag by up to 5 s; it is asked again for up to 30 s until every observer queue shows "
				+ "one consumer). Generation: how often the group's assignment had been stored by then.\n\n");
		table.append("| observers | partitioning | instances | instance | JVM start → all consuming, cold (s) "
				+ "| … warm (s) | JVM start → context started (s) | heap after full GC (MiB) | threads | buckets "
				+ "| consumers (confirmed to it) | consumer channels | broker: its connections / channels / consumers "
				+ "| broker: consumers on the observer queues, all instances | queues with exactly 1 consumer "
				+ "| generation | load before → after |\n");
		table.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
				+ "| ---: | ---: | --- |\n");
		for (Benchmarks.InstancesRun run : runs) {
			if (run.failure() != null) {
				table.append("| failed: ").append(run.failure()).append(" |\n");
			}
			for (ScaleInstancesBenchmark.Sample sample : run.samples()) {
				boolean first = sample.instance() == 1;
				table.append(String.format(
						"| %,d | %s | %d | %d | %.1f | %.1f | %.1f | %.0f | %d | %,d | %,d | %,d | %d / %,d / %,d | %s | %s "
								+ "| %d | %s |%n",
						sample.observers(), sample.mode(), sample.instances(), sample.instance(), sample.coldSeconds(),
						sample.warmSeconds(), sample.contextSeconds(), sample.heapMiB(), sample.threads(),
						sample.buckets(), sample.consumers(), sample.consumerChannels(), sample.brokerConnections(),
						sample.brokerChannels(), sample.brokerConsumers(),
						first ? String.format("%,d", sample.queueConsumers()) : "",
						first ? String.format("%,d of %,d", sample.queuesWithOneConsumer(), sample.queues()) : "",
						sample.generation(), first ? run.loadBefore() + " → " + run.loadAfter() : ""));
			}
		}
		return table.toString();
	}

	/**
	 * The raw-client floor beside the starter's scale runs of the same counts: the
	 * starter's cold and warm times as ratios to the floor, and whether the round counts
	 * (not when the load average was above the core count at its start).
	 * @param floor per count: the floor's figures ({@link RawFloor.Result}), the load
	 * before and after
	 * @param scale the starter's scale samples
	 * @param startLoad the load average at the start of the run
	 */
	static String floor(List<String[]> floor, List<ScaleBenchmark.Sample> scale, String startLoad) {
		if (floor.isEmpty()) {
			return "";
		}
		int cores = Runtime.getRuntime().availableProcessors();
		double load = Double.parseDouble(startLoad.split("/")[0]);
		StringBuilder table = new StringBuilder("\n## Floor\n\n");
		table.append((load > cores)
				? String.format("**This round is not valid**: the load average was %.1f at its start, above the %d "
						+ "cores; the figures below are shown, not to be compared.%n%n", load, cores)
				: String.format("Valid round: load average %.1f at its start, %d cores.%n%n", load, cores));
		table.append("| observers | floor: declare + bind (s) | floor: consume (s) | floor total (s) "
				+ "| floor channels | broker channel memory per observer (KiB) | starter cold ÷ floor "
				+ "| starter warm ÷ floor | load before → after |\n");
		table.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
		for (String[] row : floor) {
			String[] figures = row[0].split(" ");
			int observers = Integer.parseInt(figures[0]);
			double declare = Double.parseDouble(figures[2]);
			double consume = Double.parseDouble(figures[3]);
			double total = declare + consume;
			ScaleBenchmark.Sample sample = scale.stream()
				.filter((candidate) -> candidate.observers() == observers)
				.findFirst()
				.orElse(null);
			table.append(String.format("| %,d | %.1f | %.1f | %.1f | %s | %.1f | %s | %s | %s → %s |%n", observers,
					declare, consume, total, figures[4], Double.parseDouble(figures[6]) * 1024 / observers,
					(sample != null) ? String.format("%.2f", sample.consumingSeconds() / total) : "—",
					(sample != null) ? String.format("%.2f", sample.warmSeconds() / total) : "—", row[1], row[2]));
		}
		return table.toString();
	}

	static String live(Settings settings, List<long[][]> rounds) {
		if (rounds.isEmpty()) {
			return "Not measured: observers created through the repository were not registered live "
					+ "(this build has no model watcher).\n";
		}
		StringBuilder table = new StringBuilder();
		table.append(String.format(
				"| %,d observers created one by one, then %,d routing-key changes "
						+ "| p50 (ms) | p99 (ms) | max (ms) |%n",
				settings.liveObservers(), Math.min(settings.liveObservers(), LiveRegistrationBenchmark.REBINDS)));
		table.append("| --- | ---: | ---: | ---: |\n");
		String[] names = { "commit → declared, bound and consuming", "commit → new routing key bound" };
		for (int kind = 0; kind < 2; kind++) {
			int which = kind;
			double[] figures = new double[3];
			double[] percentiles = { 50, 99, 100 };
			for (int i = 0; i < 3; i++) {
				double percentile = percentiles[i];
				figures[i] = Stats
					.median(rounds.stream().map((round) -> Stats.percentileMillis(round[which], percentile)).toList());
			}
			table.append(
					String.format("| %s | %.1f | %.1f | %.1f |%n", names[kind], figures[0], figures[1], figures[2]));
		}
		return table.toString();
	}

	private static String ratio(Double ratio) {
		return (ratio != null) ? String.format("%.2f", ratio) : "—";
	}

}
