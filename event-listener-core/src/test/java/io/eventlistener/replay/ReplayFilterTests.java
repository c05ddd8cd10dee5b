package io.eventlistener.replay;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayFilterTests {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	@Test
	void allMatchesEveryDeadLetter() {
		assertThat(ReplayFilter.ALL.matches("Company#1", null)).isTrue();
		assertThat(ReplayFilter.ALL.matches(null, null)).isTrue();
	}

	@Test
	void observerTypeMatchesItsObserversOnly() {
		ReplayFilter companies = new ReplayFilter("Company", null, null, null);
		assertThat(companies.matches("Company#1", NOW)).isTrue();
		assertThat(companies.matches("CompanyPlan#1", NOW)).isFalse();
		assertThat(companies.matches(null, NOW)).isFalse();
	}

	@Test
	void observerMatchesExactly() {
		ReplayFilter one = new ReplayFilter(null, "Company#1", null, null);
		assertThat(one.matches("Company#1", NOW)).isTrue();
		assertThat(one.matches("Company#11", NOW)).isFalse();
	}

	@Test
	void ageNeedsTheDeadLetteredTime() {
		ReplayFilter older = new ReplayFilter(null, null, NOW, null);
		assertThat(older.matches("Company#1", NOW.minusSeconds(1))).isTrue();
		assertThat(older.matches("Company#1", NOW.plusSeconds(1))).isFalse();
		assertThat(older.matches("Company#1", null)).isFalse();
		ReplayFilter newer = new ReplayFilter(null, null, null, NOW);
		assertThat(newer.matches("Company#1", NOW.plusSeconds(1))).isTrue();
		assertThat(newer.matches("Company#1", NOW.minusSeconds(1))).isFalse();
	}

}
