package io.eventlistener.actuate;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

class TimeBoundedHealthIndicatorTests {

	@Test
	void aCheckThatDoesNotAnswerInTimeIsDownWithTheReasonAndIsNotStartedTwice() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger checks = new AtomicInteger();
		TimeBoundedHealthIndicator hanging = new TimeBoundedHealthIndicator("failed", Duration.ofMillis(200),
				new SimpleAsyncTaskExecutor("health-test-")) {

			@Override
			protected void doHealthCheck(Health.Builder builder) throws Exception {
				checks.incrementAndGet();
				release.await(10, TimeUnit.SECONDS);
				builder.up();
			}

		};
		long start = System.nanoTime();
		Health first = hanging.health();
		Health second = hanging.health();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(first.getStatus()).isEqualTo(Status.DOWN);
		assertThat(first.getDetails().get("reason").toString()).contains("No answer within PT0.2S");
		assertThat(second.getStatus()).isEqualTo(Status.DOWN);
		assertThat(checks).hasValue(1);
		release.countDown();
		assertThat(hanging.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aCheckThatThrowsIsDown() {
		TimeBoundedHealthIndicator failing = new TimeBoundedHealthIndicator("failed",
				new SimpleAsyncTaskExecutor("health-test-")) {

			@Override
			protected void doHealthCheck(Health.Builder builder) {
				throw new IllegalStateException("broker gone");
			}

		};
		Health health = failing.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error").toString()).contains("broker gone");
	}

}
