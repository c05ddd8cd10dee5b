package io.eventlistener.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.Mockito.mock;

class RegistryRecoveryTests {

	private final ErrorBudget budget = new ErrorBudget(10, Duration.ofHours(1),
			new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), () -> {
			});

	@Test
	void failedResyncIsCountedAndTheNextOneStillRuns() {
		AtomicInteger attempts = new AtomicInteger();
		RegistryRecovery recovery = new RegistryRecovery(mock(ObserverRegistry.class),
				new BrokerTopology(mock(AmqpAdmin.class)), List.of(), "events", () -> {
					attempts.incrementAndGet();
					throw new DataAccessResourceFailureException("database down");
				}, this.budget, Duration.ofMinutes(5), mock(TaskScheduler.class));
		// a failure escaping resync() would end the scheduled resyncs for good
		assertThatNoException().isThrownBy(recovery::resync);
		assertThatNoException().isThrownBy(recovery::resync);
		assertThat(attempts).hasValue(2);
		assertThat(this.budget.errorsInWindow()).isEqualTo(2);
	}

}
