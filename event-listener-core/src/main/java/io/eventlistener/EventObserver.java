package io.eventlistener;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

/**
 * Implemented by a JPA entity whose rows observe events: every active row gets a durable
 * queue of its own, bound to the events exchange with the row's routing keys, and its
 * events are handed to the {@link EventHandler} bean for the entity's type.
 * <p>
 * The entity type is found in the JPA metamodel at start-up. Mark the boolean attribute
 * that enables a row with {@link ListenerEnabled} so that disabled rows are filtered out
 * by the database; {@link #isListenerEnabled()} is checked again for every loaded row.
 * This is isimud's {@code Isimud::EventObserver}.
 *
 * @see EventHandler
 * @see ListenerEnabled
 */
public interface EventObserver {

	/**
	 * The topic patterns this observer's queue is bound with, for example
	 * {@code "*.User.create"} or {@code "model.Company.#"}. Read while the row is loaded,
	 * so lazy collections may be used.
	 * @return the routing keys, possibly empty
	 */
	Collection<String> getRoutingKeys();

	/**
	 * Whether this row listens at all (isimud's {@code enable_listener?}).
	 * @return {@code true} by default
	 */
	default boolean isListenerEnabled() {
		return true;
	}

	/**
	 * The exchange this observer's queue is bound to (isimud's
	 * {@code observed_exchange}).
	 * @return the exchange name, or {@code null} (the default) for the configured events
	 * exchange
	 */
	default @Nullable String getObservedExchange() {
		return null;
	}

}
