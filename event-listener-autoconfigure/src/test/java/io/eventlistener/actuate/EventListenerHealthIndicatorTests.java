package io.eventlistener.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.eventlistener.EventObserver;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The health status follows the listener state, the error budget and observers left
 * without a consumer.
 */
class EventListenerHealthIndicatorTests {

	private final EventListenerLifecycle lifecycle = mock(EventListenerLifecycle.class);

	private final ObserverRegistry registry = mock(ObserverRegistry.class);

	EventListenerHealthIndicatorTests() {
		given(this.registry.registrations()).willReturn(List.of());
	}

	@Test
	void startingSaysHowManyAreRegistered() {
		given(this.lifecycle.state()).willReturn(ListenerState.STARTING);
		given(this.lifecycle.registered()).willReturn(3);
		given(this.lifecycle.total()).willReturn(7);
		Health health = health(null);
		assertThat(health.getStatus()).isEqualTo(EventListenerHealthIndicator.STARTING);
		assertThat(health.getDetails()).containsEntry("registered", 3).containsEntry("total", 7);
	}

	@Test
	void stoppedIsDown() {
		given(this.lifecycle.state()).willReturn(ListenerState.STOPPED);
		assertThat(health(null).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void runningWithBudgetLeftIsUpAndShowsTheBudget() {
		given(this.lifecycle.state()).willReturn(ListenerState.RUNNING);
		Health health = health(budget(4, 100));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("errorBudget",
				Map.of("errors", 4, "limit", 100, "interval", "PT1H", "exhausted", false));
	}

	@Test
	void exhaustedBudgetIsDown() {
		given(this.lifecycle.state()).willReturn(ListenerState.RUNNING);
		assertThat(health(budget(100, 100)).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void observerWithoutAConsumerPastTheGracePeriodIsDownAndNamed() {
		given(this.lifecycle.state()).willReturn(ListenerState.RUNNING);
		given(this.registry.findByQueue("app.company.7")).willReturn(Optional.of(registration("7", "app.company.7")));

		Health health = new EventListenerHealthIndicator(this.lifecycle, this.registry, null, null, null,
				() -> Map.of("app.company.7", Duration.ofSeconds(12)), Duration.ofSeconds(10), Runnable::run)
			.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("unconsumedObservers",
				Map.of("Company#7", "app.company.7 without a consumer for PT12S"));
	}

	@Test
	void observerWithoutAConsumerWithinTheGracePeriodIsStillUp() {
		given(this.lifecycle.state()).willReturn(ListenerState.RUNNING);
		given(this.registry.findByQueue("app.company.7")).willReturn(Optional.of(registration("7", "app.company.7")));

		Health health = new EventListenerHealthIndicator(this.lifecycle, this.registry, null, null, null,
				() -> Map.of("app.company.7", Duration.ofSeconds(3)), Duration.ofSeconds(10), Runnable::run)
			.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).doesNotContainKey("unconsumedObservers");
	}

	private static ObserverRegistration registration(String id, String queue) {
		return new ObserverRegistration(new ObserverKey("Company", id), mock(ObserverType.class),
				mock(EventObserver.class), queue, "events", Set.of("a.#"));
	}

	@Test
	void observerQueuesRefusedForOtherArgumentsAreDownAndNamed() {
		given(this.lifecycle.state()).willReturn(ListenerState.RUNNING);
		given(this.registry.refused()).willReturn(Map.of(new ObserverKey("Company", "7"), "app.company.7"));
		Health health = health(budget(0, 100));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("refusedQueues",
				Map.of("count", 1, "queues", List.of("app.company.7")));
	}

	private Health health(ErrorBudget budget) {
		return new EventListenerHealthIndicator(this.lifecycle, this.registry, budget, Runnable::run).health();
	}

	private static ErrorBudget budget(int errors, int limit) {
		ErrorBudget budget = new ErrorBudget(limit, Duration.ofHours(1), Clock.systemUTC(), () -> {
		});
		for (int i = 0; i < errors; i++) {
			budget.record(new IllegalStateException());
		}
		return budget;
	}

}
