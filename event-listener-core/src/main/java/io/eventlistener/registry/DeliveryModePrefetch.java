package io.eventlistener.registry;

import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventQueueBinding;

import org.springframework.util.function.SingletonSupplier;

/**
 * The prefetch of a queue's consumer: 1 for the queues of {@link DeliveryMode#ORDERED
 * ordered} observer types and application queues, so that what a consumer holds
 * unacknowledged is one event, not a window another instance would handle again after a
 * fail-over; the shared prefetch for the others. Asked as each queue is consumed, when
 * the registry knows its observer.
 */
public final class DeliveryModePrefetch implements ToIntFunction<String> {

	private final int prefetch;

	private final Supplier<ObserverRegistry> registry;

	private final Supplier<Set<String>> orderedQueues;

	/**
	 * Create a new {@code DeliveryModePrefetch}.
	 * @param prefetch the prefetch of the queues that are not ordered
	 * @param registry gives the registry (asked once, on first use, as it depends on the
	 * consumers)
	 * @param eventQueues gives the application's queues (asked once, on first use)
	 */
	public DeliveryModePrefetch(int prefetch, Supplier<ObserverRegistry> registry,
			Supplier<Collection<EventQueueBinding>> eventQueues) {
		this.prefetch = prefetch;
		this.registry = SingletonSupplier.of(registry);
		this.orderedQueues = SingletonSupplier.of(() -> eventQueues.get()
			.stream()
			.filter((binding) -> binding.delivery() == DeliveryMode.ORDERED)
			.map(EventQueueBinding::queueName)
			.collect(Collectors.toSet()));
	}

	@Override
	public int applyAsInt(String queue) {
		boolean ordered = this.orderedQueues.get().contains(queue) || this.registry.get()
			.findByQueue(queue)
			.filter((registration) -> registration.type().delivery() == DeliveryMode.ORDERED)
			.isPresent();
		return ordered ? 1 : this.prefetch;
	}

}
