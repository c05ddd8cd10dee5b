package io.eventlistener.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import io.eventlistener.testsupport.LocalServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark still works: a few seconds of each part, on the local RabbitMQ and
 * PostgreSQL, producing the report and the chart (into target, never into docs).
 */
class BenchmarksSmokeIntegrationTests {

	@Test
	void everyPartRunsAndReports() throws Exception {
		LocalServices.requireRunning();
		Path out = Path.of("target/benchmark-smoke");
		String report = Benchmarks.run(Settings.parse("--smoke", "--out=" + out));

		assertThat(report).contains("| RabbitMQ PerfTest |", "| plain Spring AMQP listener |",
				"| starter, 1 observer |", "| starter, 10 observers |", "| 20 | ", "| 20 of 20 |",
				"## The inbox's cost", "| 100 | ");
		assertThat(out.resolve("results.md")).exists();
		assertThat(Files.size(out.resolve("benchmark.png"))).isPositive();
	}

}
