package io.eventlistener.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark run does, from {@code --name=value} arguments. {@code --smoke} gives
 * the few-second run the build does; every other value defaults to the full run.
 *
 * @param out where the table, the chart and the logs go
 * @param messages events each contender drains per round
 * @param rounds rounds of the throughput benchmark (figures are their medians)
 * @param observerCounts observers the starter's events are spread over
 * @param latencyRate events per second while latency is measured
 * @param latencySeconds how long latency is measured per contender
 * @param scaleCounts active observer rows of the scale runs
 * @param scaleRounds runs per observer count (one for counts above 10,000)
 * @param scaleHeap the {@code -Xmx} of a scale run's JVM
 * @param liveObservers observers created one by one for the live-registration benchmark
 * @param jfr whether scale runs record a Flight Recorder profile beside their logs
 * @param smoke whether this is the smoke run (writes no results into docs)
 * @param parts which parts run: throughput, scale, floor, live, inbox
 * @param instances empty for the one-instance scale runs; else the scale part starts this
 * many instances at once per run, with {@code partitioning=dynamic}, beside one with
 * {@code none} ({@link ScaleInstancesBenchmark})
 */
record Settings(Path out, int messages, int rounds, List<Integer> observerCounts, int latencyRate, int latencySeconds,
		List<Integer> scaleCounts, int scaleRounds, String scaleHeap, int liveObservers, boolean jfr, boolean smoke,
		List<String> parts, List<Integer> instances) {

	static Settings parse(String... args) {
		Map<String, String> values = new HashMap<>();
		// Maven passes -Dbenchmark.args="--a=1 --b=2" as one argument
		for (String arg : String.join(" ", args).trim().split("\\s+")) {
			if (arg.isBlank()) {
				continue;
			}
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			values.put(pair[0], (pair.length > 1) ? pair[1] : "true");
		}
		boolean smoke = Boolean.parseBoolean(values.getOrDefault("smoke", "false"));
		return new Settings(Path.of(values.getOrDefault("out", smoke ? "target/benchmark-smoke" : "docs/benchmarks")),
				integer(values, "messages", smoke ? 2_000 : 100_000), integer(values, "rounds", smoke ? 1 : 3),
				integers(values, "observers", smoke ? "1,10" : "1,100,1000"),
				integer(values, "latency-rate", smoke ? 200 : 1_000), integer(values, "latency-seconds", smoke ? 1 : 5),
				integers(values, "scale", smoke ? "20" : "1000,10000,30000"),
				integer(values, "scale-rounds", smoke ? 1 : 3), values.getOrDefault("scale-heap", "1g"),
				integer(values, "live", smoke ? 5 : 1_000), Boolean.parseBoolean(values.getOrDefault("jfr", "false")),
				smoke, List.of(values.getOrDefault("parts", "throughput,scale,floor,live,inbox").split(",")),
				integers(values, "instances", ""));
	}

	boolean runs(String part) {
		return this.parts.contains(part);
	}

	int maxObservers() {
		return this.observerCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
	}

	private static int integer(Map<String, String> values, String name, int defaultValue) {
		return Integer.parseInt(values.getOrDefault(name, String.valueOf(defaultValue)).replace("_", ""));
	}

	private static List<Integer> integers(Map<String, String> values, String name, String defaultValue) {
		return Arrays.stream(values.getOrDefault(name, defaultValue).split(","))
			.map((value) -> value.trim().replace("_", ""))
			.filter((value) -> !value.isEmpty())
			.map(Integer::valueOf)
			.toList();
	}

}
