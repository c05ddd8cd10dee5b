package io.eventlistener.benchmarks;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The soak's arguments: the duration, and the fault schedule derived from it unless
 * given.
 */
class SoakOptionsTests {

	@Test
	void thirtyMinutesByDefaultWithAFaultEveryThreeMinutesAndTheIssuesDatabaseCut() {
		Soak.Options options = Soak.Options.parse();

		assertThat(options.duration()).isEqualTo(Duration.ofMinutes(30));
		assertThat(options.faultEvery()).isEqualTo(Duration.ofMinutes(3));
		assertThat(options.dbCut()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.rate()).isEqualTo(50);
	}

	@Test
	void aShortRunFaultsEveryThirtySecondsWithAShorterDatabaseCut() {
		Soak.Options options = Soak.Options.parse("--soak=3m");

		assertThat(options.duration()).isEqualTo(Duration.ofMinutes(3));
		assertThat(options.faultEvery()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.dbCut()).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void argumentsAsMavenPassesThemInOne() {
		Soak.Options options = Soak.Options.parse("--soak=1h --fault-every=90s --db-cut=PT45S --rate=20");

		assertThat(options.duration()).isEqualTo(Duration.ofHours(1));
		assertThat(options.faultEvery()).isEqualTo(Duration.ofSeconds(90));
		assertThat(options.dbCut()).isEqualTo(Duration.ofSeconds(45));
		assertThat(options.rate()).isEqualTo(20);
	}

	@Test
	void aDurationWithoutUnitIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Soak.Options.parse("--soak=30x"))
			.withMessageContaining("use 90s, 3m, 1h");
	}

}
