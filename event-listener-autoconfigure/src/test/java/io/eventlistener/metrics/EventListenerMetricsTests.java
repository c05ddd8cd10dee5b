package io.eventlistener.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.eventlistener.Event;
import io.eventlistener.EventObserver;
import io.eventlistener.dispatch.EventDelivery;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.TestObserverTypes;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.QueueRetention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters, built by hand on a {@link SimpleMeterRegistry}: names, tags (type and
 * outcome, never id) and values.
 */
class EventListenerMetricsTests {

	private static final ObserverType<Hook> HOOK = TestObserverTypes.longId("Hook", Hook.class);

	private static final ObserverType<Feed> FEED = TestObserverTypes.longId("Feed", Feed.class);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ErrorBudget budget = new ErrorBudget(100, Duration.ofHours(1), Clock.systemUTC(), () -> {
	});

	private final EventListenerMetrics metrics = new EventListenerMetrics(this.meters,
			new ObserverTypes(List.of(HOOK, FEED)), this.budget)
		.bindGauges();

	@Test
	void observerGaugeFollowsTheRegistrysEvents() {
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Hook")).isZero();
		this.metrics.registered(registration(HOOK, 1));
		this.metrics.registered(registration(HOOK, 2));
		this.metrics.registered(registration(FEED, 3));
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Hook")).isEqualTo(2);
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Feed")).isEqualTo(1);
		this.metrics.rebound(registration(HOOK, 2), registration(HOOK, 2));
		this.metrics.unregistered(registration(HOOK, 1), QueueRetention.DELETE);
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Hook")).isEqualTo(1);
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Feed")).isEqualTo(1);
	}

	@Test
	void observerGaugeCountsEachObserverOnceHoweverOftenItIsReported() {
		this.metrics.registered(registration(HOOK, 1));
		this.metrics.registered(registration(HOOK, 1));
		this.metrics.unregistered(registration(HOOK, 1), QueueRetention.KEEP);
		this.metrics.unregistered(registration(HOOK, 1), QueueRetention.KEEP);
		this.metrics.unregistered(registration(HOOK, 7), QueueRetention.KEEP);
		assertThat(gauge(EventListenerMeters.OBSERVERS, "Hook")).isZero();
	}

	@Test
	void deliveriesAreCountedAndTimedByTypeAndOutcome() {
		EventDelivery delivery = new EventDelivery("app.hook.1", registration(HOOK, 1), Event.builder().build());
		this.metrics.handled(delivery, Duration.ofMillis(5));
		this.metrics.handled(delivery, Duration.ofMillis(7));
		this.metrics.failed(delivery, Duration.ofMillis(1), new IllegalStateException());
		this.metrics.registered(registration(HOOK, 1));
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
		this.metrics.registered(registration(HOOK, 1));
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
		new EventListenerMetrics(other, new ObserverTypes(List.of(HOOK)), null).bindGauges();
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
