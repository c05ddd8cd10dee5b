package io.eventlistener.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

class RegistryRecoveryTests {

	private final ErrorBudget budget = new ErrorBudget(10, Duration.ofHours(1),
			new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), () -> {
			});

	@Test
	void failedResyncIsCountedAndLeavesTheRegistryAlone() {
		ObserverRegistry registry = mock(ObserverRegistry.class);
		RegistryRecovery recovery = new RegistryRecovery(registry, new BrokerTopology(mock(AmqpAdmin.class)), List.of(),
				"events", () -> {
					throw new DataAccessResourceFailureException("database down");
				}, this.budget, Duration.ofMinutes(5));
		recovery.resync();
		assertThat(this.budget.errorsInWindow()).isEqualTo(1);
		verifyNoInteractions(registry);
	}

}
