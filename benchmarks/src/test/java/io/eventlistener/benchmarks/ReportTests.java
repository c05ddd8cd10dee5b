package io.eventlistener.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale-over-instances table: a row per instance, the run's broker-wide figures on
 * its first row, a failed run as a row of its own.
 */
class ReportTests {

	@Test
	void aRowPerInstanceTheRunsFiguresOnItsFirstAndAFailedRunSaysWhy() {
		List<Benchmarks.InstancesRun> runs = List.of(
				new Benchmarks.InstancesRun(List.of(sample(1, 512, 971), sample(2, 512, 1029)), "1.0/1.0/1.0",
						"2.0/2.0/2.0", null),
				new Benchmarks.InstancesRun(List.of(), "2.0/2.0/2.0", "3.0/3.0/3.0",
						"2,000 observers, dynamic x3: died"));

		String table = Report.instances(runs);

		assertThat(table.lines().filter((line) -> line.startsWith("| 2,000 | dynamic | 2 |"))).containsExactly(
				"| 2,000 | dynamic | 2 | 1 | 40.4 | 45.8 | 15.1 | 26 | 21 | 512 | 971 | 20 | 2 / 45 / 971 | 2,000 "
						+ "| 2,000 of 2,000 | 5 | 1.0/1.0/1.0 → 2.0/2.0/2.0 |",
				"| 2,000 | dynamic | 2 | 2 | 40.4 | 45.8 | 15.1 | 26 | 21 | 512 | 1,029 | 20 | 2 / 45 / 1,029 |  "
						+ "|  | 5 |  |");
		assertThat(table).contains("| failed: 2,000 observers, dynamic x3: died |");
	}

	@Test
	void noRunsNoSection() {
		assertThat(Report.instances(List.of())).isEmpty();
	}

	private static ScaleInstancesBenchmark.Sample sample(int instance, int buckets, int consumers) {
		return new ScaleInstancesBenchmark.Sample(2000, "dynamic", 2, instance, 40.4, 45.8, 15.1, 26.0, 21, 20,
				consumers, buckets, 5, 2, 45, consumers, 2000, 2000, 2000);
	}

}
