package io.eventlistener.actuate;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.eventlistener.DeliveryMode;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.partition.PartitionCoordinator.PartitionStatus;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.watch.ObserverSynchronizer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code eventlistener} actuator endpoint: the listener state, the error budget and
 * the registered observers of every type with their queue names and routing keys
 * ({@code GET /actuator/eventlistener}, or one type with {@code GET
 * /actuator/eventlistener/{type}}).
 * <p>
 * Read-only by default ({@code defaultAccess}): exposing it shows the listener, and the
 * resync ({@code POST}) answers only once
 * {@code management.endpoint.eventlistener.access} is set to {@code unrestricted} on
 * purpose; secure the actuator (Spring Security) before doing so.
 */
@Endpoint(id = "eventlistener", defaultAccess = Access.READ_ONLY)
public class EventListenerEndpoint {

	private final EventListenerLifecycle lifecycle;

	private final ObserverRegistry registry;

	private final ObserverTypes types;

	private final @Nullable ErrorBudget errorBudget;

	private final @Nullable ObserverSynchronizer synchronizer;

	private Supplier<@Nullable PartitionStatus> partition = () -> null;

	/**
	 * Create a new {@code EventListenerEndpoint}.
	 * @param lifecycle tells the listener state
	 * @param registry the registered observers
	 * @param types the observer types
	 * @param errorBudget the error budget, or {@code null} when there is none
	 * @param synchronizer resynchronises the registry, or {@code null} when there is none
	 */
	public EventListenerEndpoint(EventListenerLifecycle lifecycle, ObserverRegistry registry, ObserverTypes types,
			@Nullable ErrorBudget errorBudget, @Nullable ObserverSynchronizer synchronizer) {
		this.lifecycle = lifecycle;
		this.registry = registry;
		this.types = types;
		this.errorBudget = errorBudget;
		this.synchronizer = synchronizer;
	}

	/**
	 * Show the partition (members, this instance's buckets and observers, the last
	 * rebalance) when consuming is partitioned.
	 * @param partition the coordinator's status
	 */
	public void setPartition(Supplier<@Nullable PartitionStatus> partition) {
		this.partition = partition;
	}

	/**
	 * Reload every active observer from the database and apply the difference to the
	 * registry now ({@code POST /actuator/eventlistener}), as isimud's
	 * {@code synchronize}.
	 * @return what changed, or {@code null} (404) when there is no synchronizer
	 */
	@WriteOperation
	public ObserverSynchronizer.@Nullable Synchronization resync() {
		return (this.synchronizer != null) ? this.synchronizer.synchronize() : null;
	}

	/**
	 * The whole listener.
	 * @return its state, error budget and observers by type
	 */
	@ReadOperation
	public ListenerDescriptor listener() {
		Map<String, ObserverTypeDescriptor> observers = new LinkedHashMap<>();
		for (ObserverType<?> type : this.types.all()) {
			observers.put(type.name(), describe(type));
		}
		ErrorBudget budget = this.errorBudget;
		return new ListenerDescriptor(this.lifecycle.state(),
				(budget != null) ? EventListenerHealthIndicator.errorBudget(budget) : null, this.partition.get(),
				observers);
	}

	/**
	 * The observers of one type.
	 * @param type the canonical type name
	 * @return its observers, or {@code null} (404) when there is no such observer type
	 */
	@ReadOperation
	public @Nullable ObserverTypeDescriptor observerType(@Selector String type) {
		return this.types.find(type).map(this::describe).orElse(null);
	}

	private ObserverTypeDescriptor describe(ObserverType<?> type) {
		List<ObserverDescriptor> observers = this.registry.registrations()
			.stream()
			.filter((registration) -> registration.type().name().equals(type.name()))
			.map(ObserverDescriptor::of)
			.sorted(Comparator.comparing(ObserverDescriptor::queue))
			.toList();
		return new ObserverTypeDescriptor(type.delivery(), observers.size(), observers);
	}

	/**
	 * The listener as the endpoint reports it.
	 *
	 * @param state the listener state
	 * @param errorBudget errors, limit, interval and whether it is exhausted;
	 * {@code null} without an error budget
	 * @param partition this instance's share of the observers; {@code null} unless
	 * consuming is partitioned
	 * @param observers the observers by type name
	 */
	public record ListenerDescriptor(ListenerState state, @Nullable Map<String, Object> errorBudget,
			@Nullable PartitionStatus partition, Map<String, ObserverTypeDescriptor> observers) {
	}

	/**
	 * The registered observers of one type.
	 *
	 * @param delivery how the type's events are spread over the running instances
	 * @param count how many
	 * @param observers each of them, by queue name
	 */
	public record ObserverTypeDescriptor(DeliveryMode delivery, int count, List<ObserverDescriptor> observers) {
	}

	/**
	 * One registered observer.
	 *
	 * @param id the row's id
	 * @param queue its queue
	 * @param exchange the exchange the queue is bound to
	 * @param routingKeys the queue's bindings, sorted
	 */
	public record ObserverDescriptor(String id, String queue, String exchange, List<String> routingKeys) {

		static ObserverDescriptor of(ObserverRegistration registration) {
			return new ObserverDescriptor(registration.key().id(), registration.queueName(), registration.exchange(),
					List.copyOf(new TreeSet<>(registration.routingKeys())));
		}

	}

}
