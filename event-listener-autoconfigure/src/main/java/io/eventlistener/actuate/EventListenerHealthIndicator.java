package io.eventlistener.actuate;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.eventlistener.DeliveryMode;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.partition.PartitionCoordinator.PartitionStatus;
import io.eventlistener.registry.MonitoredConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.watch.ModelWatcherSubscription;
import io.eventlistener.watch.WatcherQueue;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the event listener: {@code UP} while it consumes, {@code UNKNOWN} before it
 * starts, {@link #STARTING} while it loads the active observers (details
 * {@code registered} and {@code total}: a background start-up reports its progress
 * there), {@code DOWN} once it stopped, its error budget ran out, an observer's queue has
 * had no consumer for longer than the grace period, or observer queues were refused
 * because they exist with other arguments ({@code refusedQueues}). Details: the listener
 * state, the number of registered observers and, when there is one, the error budget.
 */
public class EventListenerHealthIndicator extends TimeBoundedHealthIndicator {

	/**
	 * Loading and consuming the active observers. Not one of Boot's statuses: the
	 * aggregate ignores it unless {@code management.endpoint.health.status.order} lists
	 * {@code STARTING}, and it answers HTTP 200 unless
	 * {@code management.endpoint.health.status.http-mapping.starting} says otherwise.
	 */
	public static final Status STARTING = new Status("STARTING", "Loading and consuming the active observers");

	private static final int REFUSED_QUEUES_SHOWN = 10;

	private final EventListenerLifecycle lifecycle;

	private final ObserverRegistry registry;

	private final @Nullable ErrorBudget errorBudget;

	private final @Nullable WatcherQueue watcherQueue;

	private final @Nullable AmqpAdmin admin;

	private final @Nullable Supplier<Map<String, Duration>> unconsumed;

	private final Duration gracePeriod;

	private @Nullable Map<String, Object> delivery;

	private Supplier<@Nullable PartitionStatus> partition = () -> null;

	/**
	 * Create a new {@code EventListenerHealthIndicator}.
	 * @param lifecycle tells the listener state
	 * @param registry the registered observers
	 * @param errorBudget the error budget, or {@code null} when there is none
	 * @param checks runs each check on a thread of its own
	 */
	public EventListenerHealthIndicator(EventListenerLifecycle lifecycle, ObserverRegistry registry,
			@Nullable ErrorBudget errorBudget, Executor checks) {
		this(lifecycle, registry, errorBudget, null, null, checks);
	}

	/**
	 * Create a new {@code EventListenerHealthIndicator}.
	 * @param lifecycle tells the listener state
	 * @param registry the registered observers
	 * @param errorBudget the error budget, or {@code null} when there is none
	 * @param watcherQueue this process's model-watcher queue, or {@code null} when it
	 * does not watch
	 * @param admin asks the broker about the watcher queue
	 * @param checks runs each check on a thread of its own
	 */
	public EventListenerHealthIndicator(EventListenerLifecycle lifecycle, ObserverRegistry registry,
			@Nullable ErrorBudget errorBudget, @Nullable WatcherQueue watcherQueue, @Nullable AmqpAdmin admin,
			Executor checks) {
		this(lifecycle, registry, errorBudget, watcherQueue, admin, null, Duration.ZERO, checks);
	}

	/**
	 * Create a new {@code EventListenerHealthIndicator}.
	 * @param lifecycle tells the listener state
	 * @param registry the registered observers
	 * @param errorBudget the error budget, or {@code null} when there is none
	 * @param watcherQueue this process's model-watcher queue, or {@code null} when it
	 * does not watch
	 * @param admin asks the broker about the watcher queue
	 * @param unconsumed how long each consumed queue has been without a consumer, or
	 * {@code null} when not known
	 * @param gracePeriod how long an observer's queue may be without a consumer before
	 * health is DOWN
	 * @param checks runs each check on a thread of its own
	 */
	public EventListenerHealthIndicator(EventListenerLifecycle lifecycle, ObserverRegistry registry,
			@Nullable ErrorBudget errorBudget, @Nullable WatcherQueue watcherQueue, @Nullable AmqpAdmin admin,
			@Nullable Supplier<Map<String, Duration>> unconsumed, Duration gracePeriod, Executor checks) {
		super("Event listener health check", checks);
		this.lifecycle = lifecycle;
		this.registry = registry;
		this.errorBudget = errorBudget;
		this.watcherQueue = watcherQueue;
		this.admin = admin;
		this.unconsumed = unconsumed;
		this.gracePeriod = gracePeriod;
	}

	/**
	 * The indicator of an assembled listener side: its lifecycle and registry, how long
	 * each of its queues has been without a consumer (when its consumers tell), and how
	 * events are delivered, as the {@code delivery} detail.
	 * @param listener the listener side
	 * @param errorBudget the error budget, or {@code null} when there is none
	 * @param watcher this process's model-watcher subscription, or {@code null} when it
	 * does not watch
	 * @param admin asks the broker about the watcher queue
	 * @param gracePeriod how long an observer's queue may be without a consumer before
	 * health is DOWN
	 * @param checks runs each check on a thread of its own
	 * @return the indicator
	 */
	public static EventListenerHealthIndicator of(EventListenerAssembly listener, @Nullable ErrorBudget errorBudget,
			@Nullable ModelWatcherSubscription watcher, @Nullable AmqpAdmin admin, Duration gracePeriod,
			Executor checks) {
		EventListenerHealthIndicator indicator = new EventListenerHealthIndicator(listener.lifecycle(),
				listener.registry(), errorBudget, (watcher != null) ? watcher.queue() : null, admin,
				(listener.consumers() instanceof MonitoredConsumers shards) ? shards::unconsumed : null, gracePeriod,
				checks);
		indicator.setDelivery(listener.queueNames().instanceId(), listener.types());
		return indicator;
	}

	/**
	 * Show how events are delivered, as the {@code delivery} detail.
	 * @param instanceId this process's id in its broadcast queues' names
	 * @param types the observer types, each shown with its delivery mode
	 */
	public void setDelivery(String instanceId, ObserverTypes types) {
		Map<String, DeliveryMode> modes = new LinkedHashMap<>();
		types.all().forEach((type) -> modes.put(type.name(), type.delivery()));
		this.delivery = Map.of("instanceId", instanceId, "observers", Map.copyOf(modes));
	}

	/**
	 * Show this instance's share of the observers, as the {@code partition} detail, when
	 * consuming is partitioned.
	 * @param partition the coordinator's status
	 */
	public void setPartition(Supplier<@Nullable PartitionStatus> partition) {
		this.partition = partition;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ListenerState state = this.lifecycle.state();
		builder.status(status(state))
			.withDetail("state", state)
			.withDetail("observers", this.registry.registrations().size());
		if (state == ListenerState.STARTING) {
			builder.withDetail("registered", this.lifecycle.registered()).withDetail("total", this.lifecycle.total());
		}
		if (this.delivery != null) {
			builder.withDetail("delivery", this.delivery);
		}
		PartitionStatus partition = this.partition.get();
		if (partition != null) {
			builder.withDetail("partition", partition);
		}
		refused(builder, this.registry.refused().values());
		if (this.watcherQueue != null && this.admin != null && state == ListenerState.RUNNING) {
			watcherQueue(builder, this.watcherQueue, this.admin);
		}
		if (this.unconsumed != null && state == ListenerState.RUNNING) {
			unconsumedObservers(builder, this.unconsumed.get());
		}
		ErrorBudget budget = this.errorBudget;
		if (budget != null) {
			builder.withDetail("errorBudget", errorBudget(budget));
			if (budget.isExhausted()) {
				builder.down();
			}
		}
	}

	/**
	 * Ask the broker whether the watcher queue exists and is consumed: without it,
	 * observer changes are not applied live. Missing or unconsumed is DOWN.
	 */
	private static void watcherQueue(Health.Builder builder, WatcherQueue queue, AmqpAdmin admin) {
		QueueInformation information = admin.getQueueInfo(queue.name());
		int consumers = (information != null) ? information.getConsumerCount() : 0;
		builder.withDetail("watcherQueue",
				Map.of("name", queue.name(), "bound", information != null, "consumers", consumers));
		if (consumers == 0) {
			builder.down();
		}
	}

	/**
	 * Observers whose queue has had no consumer for longer than the grace period (its
	 * queue deleted and not yet back, or refused): their events are not handled. DOWN,
	 * naming them.
	 */
	private void unconsumedObservers(Health.Builder builder, Map<String, Duration> unconsumed) {
		Map<String, String> observers = new TreeMap<>();
		unconsumed.forEach((queue, duration) -> {
			if (duration.compareTo(this.gracePeriod) > 0) {
				this.registry.findByQueue(queue)
					.ifPresent((registration) -> observers.put(registration.key().toString(),
							queue + " without a consumer for " + duration.withNanos(0)));
			}
		});
		if (!observers.isEmpty()) {
			builder.down().withDetail("unconsumedObservers", observers);
		}
	}

	/**
	 * Observers whose queues exist with other arguments are not consumed until an
	 * operator deletes those queues: DOWN, naming a few of them.
	 */
	private static void refused(Health.Builder builder, Collection<String> queues) {
		if (!queues.isEmpty()) {
			builder.down()
				.withDetail("refusedQueues", Map.of("count", queues.size(), "queues",
						queues.stream().sorted().limit(REFUSED_QUEUES_SHOWN).toList()));
		}
	}

	private static Status status(ListenerState state) {
		return switch (state) {
			case NEW -> Status.UNKNOWN;
			case STARTING -> STARTING;
			case RUNNING -> Status.UP;
			case STOPPED -> Status.DOWN;
		};
	}

	static Map<String, Object> errorBudget(ErrorBudget budget) {
		return Map.of("errors", budget.errorsInWindow(), "limit", budget.limit(), "interval",
				budget.interval().toString(), "exhausted", budget.isExhausted());
	}

}
