package io.eventlistener.observer;

import java.util.Set;

import io.eventlistener.EventObserver;
import org.jspecify.annotations.Nullable;

/**
 * An observer row as read from the database: what the registry needs to consume for it.
 * The routing keys are copied while the row is loaded, so the (detached) entity's lazy
 * state is never needed afterwards.
 *
 * @param type the observer type
 * @param id the row's id
 * @param observer the detached entity, handed to the handler with each event
 * @param observedExchange the exchange it observes, or {@code null} for the default
 * @param routingKeys its routing keys
 */
public record ObserverDefinition(ObserverType<?> type, Object id, EventObserver observer,
		@Nullable String observedExchange, Set<String> routingKeys) {

	public ObserverDefinition {
		routingKeys = Set.copyOf(routingKeys);
	}

	public ObserverKey key() {
		return this.type.key(this.id);
	}

}
