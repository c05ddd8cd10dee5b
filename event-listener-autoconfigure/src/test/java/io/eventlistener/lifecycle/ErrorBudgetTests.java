package io.eventlistener.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBudgetTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger exhaustions = new AtomicInteger();

	private final ErrorBudget budget = new ErrorBudget(3, Duration.ofHours(1), this.clock,
			this.exhaustions::incrementAndGet);

	@Test
	void reachingTheLimitWithinOneWindowExhaustsTheBudgetOnce() {
		this.budget.record(new IllegalStateException("1"));
		this.budget.record(new IllegalStateException("2"));
		assertThat(this.exhaustions).hasValue(0);
		this.budget.record(new IllegalStateException("3"));
		this.budget.record(new IllegalStateException("4"));
		assertThat(this.exhaustions).hasValue(1);
		assertThat(this.budget.isExhausted()).isTrue();
		assertThat(this.budget.errorsInWindow()).isEqualTo(4);
	}

	@Test
	void errorsOfAPastWindowDoNotCount() {
		this.budget.record(new IllegalStateException("1"));
		this.budget.record(new IllegalStateException("2"));
		this.clock.advance(Duration.ofMinutes(59));
		assertThat(this.budget.errorsInWindow()).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.budget.errorsInWindow()).isZero();
		this.budget.record(new IllegalStateException("3"));
		this.budget.record(new IllegalStateException("4"));
		assertThat(this.exhaustions).hasValue(0);
		assertThat(this.budget.errorsInWindow()).isEqualTo(2);
	}

}
