package io.eventlistener.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.eventlistener.Event;
import io.eventlistener.EventObserver;
import io.eventlistener.dispatch.EventDelivery;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.TestObserverTypes;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The meters, built by hand on a {@link SimpleMeterRegistry}: names, tags (type and
 * outcome, never id) and values.
 */
class EventListenerMetricsTests {

	private static final ObserverType<Hook> HOOK = TestObserverTypes.longId("Hook", Hook.class);

	private static final ObserverType<Feed> FEED = TestObserverTypes.longId("Feed", Feed.class);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ObserverRegistry registry = mock(ObserverRegistry.class);

	private final List<ObserverRegistration> registrations = new ArrayList<>();

	private final ErrorBudget budget = new ErrorBudget(100, Duration.ofHours(1), Clock.systemUTC(), () -> {
	});

	private final EventListenerMetrics metrics = new EventListenerMetrics(this.meters, this.registry,
			new ObserverTypes(List.of(HOOK, FEED)), this.budget)
		.bindGauges();

	EventListenerMetricsTests() {
		given(this.registry.registrations()).willAnswer((invocation) -> List.copyOf(this.registrations));
	}

	@Test
	void observerGaugeCountsRegistrationsPerTypeLive() {
		this.registrations.add(registration(HOOK, 1));
		this.registrations.add(registration(HOOK, 2));
		this.registrations.add(registration(FEED, 3));
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Hook")).isEqualTo(2);
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Feed")).isEqualTo(1);
		this.registrations.remove(0);
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Hook")).isEqualTo(1);
	}

	@Test
	void deliveriesAreCountedAndTimedByTypeAndOutcome() {
		EventDelivery delivery = new EventDelivery("app.hook.1", registration(HOOK, 1), Event.builder().build());
		this.metrics.handled(delivery, Duration.ofMillis(5));
		this.metrics.handled(delivery, Duration.ofMillis(7));
		this.metrics.failed(delivery, Duration.ofMillis(1), new IllegalStateException());
		given(this.registry.findByQueue("app.hook.1")).willReturn(Optional.of(registration(HOOK, 1)));
		this.metrics.gaveUp("app.hook.1", true);
		this.metrics.gaveUp("app.hook.1", false);
		assertThat(counter(EventListenerMeters.EVENTS, "Hook", EventListenerMeters.HANDLED)).isEqualTo(2);
		assertThat(counter(EventListenerMeters.EVENTS, "Hook", EventListenerMeters.FAILED)).isEqualTo(1);
		assertThat(counter(EventListenerMeters.EVENTS, "Hook", EventListenerMeters.DEAD_LETTERED)).isEqualTo(1);
		assertThat(counter(EventListenerMeters.EVENTS, "Hook", EventListenerMeters.DISCARDED)).isEqualTo(1);
		assertThat(this.meters.get(EventListenerMeters.HANDLER_DURATION)
			.tags(EventListenerMeters.TYPE, "Hook", EventListenerMeters.OUTCOME, EventListenerMeters.HANDLED)
			.timer()
			.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(12);
		assertThat(this.meters.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTag("id")).isNull());
	}

	@Test
	void malformedBodiesAreCountedByTheQueuesObserverType() {
		given(this.registry.findByQueue("app.hook.1")).willReturn(Optional.of(registration(HOOK, 1)));
		given(this.registry.findByQueue("stray")).willReturn(Optional.empty());
		this.metrics.malformed("app.hook.1", "bad json");
		this.metrics.malformed("stray", "bad json");
		assertThat(counter(EventListenerMeters.EVENTS, "Hook", EventListenerMeters.MALFORMED)).isEqualTo(1);
		assertThat(counter(EventListenerMeters.EVENTS, EventListenerMeters.UNKNOWN, EventListenerMeters.MALFORMED))
			.isEqualTo(1);
	}

	@Test
	void watcherMessagesAndResyncsAreCountedByOutcome() {
		this.metrics.watcherMessage("Hook", EventListenerMeters.APPLIED);
		this.metrics.watcherMessage("Hook", EventListenerMeters.APPLIED);
		this.metrics.watcherMessage(EventListenerMeters.UNKNOWN, EventListenerMeters.REJECTED);
		this.metrics.resync(true);
		assertThat(counter(EventListenerMeters.WATCHER_MESSAGES, "Hook", EventListenerMeters.APPLIED)).isEqualTo(2);
		assertThat(counter(EventListenerMeters.WATCHER_MESSAGES, EventListenerMeters.UNKNOWN,
				EventListenerMeters.REJECTED))
			.isEqualTo(1);
		assertThat(this.meters.get(EventListenerMeters.RESYNCS)
			.tag(EventListenerMeters.OUTCOME, EventListenerMeters.SUCCESS)
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void errorBudgetGaugesReadTheBudget() {
		this.budget.record(new IllegalStateException());
		this.budget.record(new IllegalStateException());
		this.budget.record(new IllegalStateException());
		assertThat(this.meters.get(EventListenerMeters.ERRORS).gauge().value()).isEqualTo(3);
		assertThat(this.meters.get(EventListenerMeters.ERROR_LIMIT).gauge().value()).isEqualTo(100);
	}

	@Test
	void withoutErrorBudgetThereAreNoErrorGauges() {
		SimpleMeterRegistry other = new SimpleMeterRegistry();
		new EventListenerMetrics(other, this.registry, new ObserverTypes(List.of(HOOK)), null).bindGauges();
		assertThat(other.find(EventListenerMeters.ERRORS).gauge()).isNull();
		assertThat(other.find(EventListenerMeters.OBSERVERS).gauge()).isNotNull();
	}

	private double gauge(String name, String type) {
		return this.meters.get(name).tag(EventListenerMeters.TYPE, type).gauge().value();
	}

	private double counter(String name, String type, String outcome) {
		return this.meters.get(name)
			.tags(EventListenerMeters.TYPE, type, EventListenerMeters.OUTCOME, outcome)
			.counter()
			.count();
	}

	private static ObserverRegistration registration(ObserverType<?> type, long id) {
		return new ObserverRegistration(type.key(id), type, new Hook(), "app." + type.snakeCaseName() + "." + id,
				"events", Set.of("#"));
	}

	static class Hook implements EventObserver {

		@Override
		public List<String> getRoutingKeys() {
			return List.of("#");
		}

	}

	static class Feed extends Hook {

	}

}
