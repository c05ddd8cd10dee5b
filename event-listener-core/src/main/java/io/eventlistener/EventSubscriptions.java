package io.eventlistener;

import java.util.List;

/**
 * Subscribes to events inside this process, at run time, by routing keys: no entity, no
 * durable queue, no restart (osctld's eventd). What a subscription receives is what the
 * events exchange routes with those keys while it is open; it is not persisted, so events
 * published while the process is disconnected from the broker, or before
 * {@link #subscribe(String...)} returns, are not seen.
 */
public interface EventSubscriptions {

	/**
	 * Subscribe to the events whose routing keys match any of the given ones ({@code *}
	 * one word, {@code #} zero or more, as in isimud's observers).
	 * @param routingKeys the routing keys, at least one
	 * @return the open subscription; close it to unsubscribe
	 * @throws IllegalArgumentException if no routing key is given or one is blank
	 * @throws IllegalStateException if the application is shutting down
	 */
	EventSubscription subscribe(String... routingKeys);

	/**
	 * Subscribe to the events whose routing keys match any of the given ones.
	 * @param routingKeys the routing keys, at least one
	 * @return the open subscription; close it to unsubscribe
	 * @see #subscribe(String...)
	 */
	default EventSubscription subscribe(List<String> routingKeys) {
		return subscribe(routingKeys.toArray(String[]::new));
	}

	/**
	 * The subscriptions open now.
	 * @return a snapshot
	 */
	List<EventSubscription> openSubscriptions();

}
