package io.eventlistener.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.eventlistener.dispatch.DeliveryListener;
import io.eventlistener.dispatch.EventDelivery;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistryListener;
import io.eventlistener.registry.QueueRetention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records the event listener's meters (see {@link EventListenerMeters}) in a
 * {@link MeterRegistry}: as a {@link DeliveryListener} of the dispatcher it counts and
 * times deliveries; as an {@link ObserverRegistryListener} of the registry it keeps the
 * observer gauges up to date as observers are registered and unregistered (a scrape reads
 * a number, it never walks the registry); the error gauges read the {@link ErrorBudget}
 * when there is one. Watcher messages and resyncs are counted through
 * {@link #watcherMessage} and {@link #resync}.
 * <p>
 * Works without Spring: build it, call {@link #bindGauges()}, and pass it to the registry
 * as a listener.
 */
public class EventListenerMetrics implements DeliveryListener, ObserverRegistryListener {

	private final MeterRegistry meterRegistry;

	/** The type of each registered observer's queue, as the registry's events told. */
	private final Map<String, String> queueTypes = new ConcurrentHashMap<>();

	/** Registered observers per type name, what the gauges read. */
	private final Map<String, AtomicLong> observerCounts = new ConcurrentHashMap<>();

	private final ObserverTypes types;

	private final @Nullable ErrorBudget errorBudget;

	private static final Map<String, String> DESCRIPTIONS = Map.of(EventListenerMeters.EVENTS,
			"Event deliveries by outcome", EventListenerMeters.WATCHER_MESSAGES, "Model-watcher messages by outcome",
			EventListenerMeters.RESYNCS, "Resyncs of the observer registry with the database");

	private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();

	private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Create a new {@code EventListenerMetrics}.
	 * @param meterRegistry where meters are registered
	 * @param types the observer types, one gauge each
	 * @param errorBudget the error budget, or {@code null} when there is none
	 */
	public EventListenerMetrics(MeterRegistry meterRegistry, ObserverTypes types, @Nullable ErrorBudget errorBudget) {
		this.meterRegistry = meterRegistry;
		this.types = types;
		this.errorBudget = errorBudget;
	}

	/**
	 * Register the gauges: observers per type and, with an error budget, errors in the
	 * window and the limit.
	 * @return this
	 */
	public EventListenerMetrics bindGauges() {
		for (ObserverType<?> type : this.types.all()) {
			Gauge.builder(EventListenerMeters.OBSERVERS, observerCount(type.name()), AtomicLong::get)
				.tag(EventListenerMeters.TYPE, type.name())
				.description("Observers registered and consumed")
				.register(this.meterRegistry);
		}
		ErrorBudget budget = this.errorBudget;
		if (budget != null) {
			Gauge.builder(EventListenerMeters.ERRORS, budget, ErrorBudget::errorsInWindow)
				.description("Handler errors in the error budget's current window")
				.register(this.meterRegistry);
			Gauge.builder(EventListenerMeters.ERROR_LIMIT, budget, ErrorBudget::limit)
				.description("Handler errors the error budget allows per window")
				.register(this.meterRegistry);
		}
		return this;
	}

	@Override
	public void handled(EventDelivery delivery, Duration duration) {
		record(delivery.observerType(), EventListenerMeters.HANDLED, duration);
	}

	@Override
	public void failed(EventDelivery delivery, Duration duration, Exception failure) {
		record(delivery.observerType(), EventListenerMeters.FAILED, duration);
	}

	@Override
	public void requeued(EventDelivery delivery, Duration duration) {
		record(delivery.observerType(), EventListenerMeters.REQUEUED, duration);
	}

	@Override
	public void rejected(EventDelivery delivery, Duration duration) {
		record(delivery.observerType(), EventListenerMeters.REJECTED, duration);
	}

	@Override
	public void filtered(EventDelivery delivery) {
		increment(EventListenerMeters.EVENTS, delivery.observerType(), EventListenerMeters.FILTERED);
	}

	@Override
	public void duplicate(EventDelivery delivery) {
		increment(EventListenerMeters.EVENTS, delivery.observerType(), EventListenerMeters.DUPLICATE);
	}

	@Override
	public void gaveUp(String queue, boolean deadLettered) {
		increment(EventListenerMeters.EVENTS, typeOf(queue),
				deadLettered ? EventListenerMeters.DEAD_LETTERED : EventListenerMeters.DISCARDED);
	}

	@Override
	public void malformed(String queue, String reason) {
		increment(EventListenerMeters.EVENTS, typeOf(queue), EventListenerMeters.MALFORMED);
	}

	/**
	 * The observer type of a queue; {@link EventListenerMeters#UNKNOWN} for a queue that
	 * is not (or no longer) an observer's, so no tag ever carries an id.
	 */
	private String typeOf(String queue) {
		return this.queueTypes.getOrDefault(queue, EventListenerMeters.UNKNOWN);
	}

	/**
	 * Count the observer in; an observer already counted (its queue known) is not counted
	 * twice.
	 */
	@Override
	public void registered(ObserverRegistration registration) {
		String type = registration.type().name();
		if (this.queueTypes.put(registration.queueName(), type) == null) {
			observerCount(type).incrementAndGet();
		}
	}

	@Override
	public void unregistered(ObserverRegistration registration, QueueRetention retention) {
		String type = this.queueTypes.remove(registration.queueName());
		if (type != null) {
			observerCount(type).decrementAndGet();
		}
	}

	private AtomicLong observerCount(String type) {
		return this.observerCounts.computeIfAbsent(type, (name) -> new AtomicLong());
	}

	/**
	 * Count a model-watcher message.
	 * @param type the observer type it named, or {@link EventListenerMeters#UNKNOWN} when
	 * it named none the application knows
	 * @param outcome {@link EventListenerMeters#APPLIED},
	 * {@link EventListenerMeters#IGNORED} or {@link EventListenerMeters#REJECTED}
	 */
	public void watcherMessage(String type, String outcome) {
		increment(EventListenerMeters.WATCHER_MESSAGES, type, outcome);
	}

	/**
	 * Count an observer queue the broker lost.
	 * @param type the observer type
	 * @param outcome {@code redeclared}, {@code unregistered} or {@code failed}
	 */
	public void lostQueue(String type, String outcome) {
		increment(EventListenerMeters.LOST_QUEUES, type, outcome);
	}

	/**
	 * Count a resync of the registry with the database.
	 * @param succeeded whether it completed
	 */
	public void resync(boolean succeeded) {
		increment(EventListenerMeters.RESYNCS, null,
				succeeded ? EventListenerMeters.SUCCESS : EventListenerMeters.FAILURE);
	}

	private void record(String type, String outcome, Duration duration) {
		increment(EventListenerMeters.EVENTS, type, outcome);
		this.timers
			.computeIfAbsent(new MeterKey(EventListenerMeters.HANDLER_DURATION, type, outcome),
					(key) -> Timer.builder(key.name())
						.tags(key.tags())
						.description("How long event handlers ran")
						.register(this.meterRegistry))
			.record(duration);
	}

	private void increment(String name, @Nullable String type, String outcome) {
		this.counters
			.computeIfAbsent(new MeterKey(name, type, outcome),
					(key) -> Counter.builder(key.name())
						.tags(key.tags())
						.description(DESCRIPTIONS.get(name))
						.register(this.meterRegistry))
			.increment();
	}

	private record MeterKey(String name, @Nullable String type, String outcome) {

		Tags tags() {
			Tags tags = Tags.of(EventListenerMeters.OUTCOME, this.outcome);
			return (this.type != null) ? tags.and(EventListenerMeters.TYPE, this.type) : tags;
		}

	}

}
