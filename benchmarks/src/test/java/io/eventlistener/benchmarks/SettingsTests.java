package io.eventlistener.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's arguments that choose the scale runs.
 */
class SettingsTests {

	@Test
	void scaleRunsOneInstanceUnlessInstancesAreGiven() {
		Settings settings = Settings.parse("--parts=scale --scale=100000");

		assertThat(settings.instances()).isEmpty();
		assertThat(settings.scaleCounts()).containsExactly(100_000);
	}

	@Test
	void instancesAreAListOfCounts() {
		Settings settings = Settings.parse("--parts=scale", "--scale=100_000", "--instances=1,2,3");

		assertThat(settings.instances()).containsExactly(1, 2, 3);
		assertThat(settings.runs("scale")).isTrue();
	}

}
