package io.eventlistener.watch;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What an observer row says through {@link io.eventlistener.EventObserver} at one moment:
 * what decides its queue's bindings.
 *
 * @param routingKeys its routing keys
 * @param enabled whether it listens
 * @param exchange the exchange it observes, or {@code null} for the default
 */
record ObserverState(List<String> routingKeys, boolean enabled, @Nullable String exchange) {

	ObserverState {
		routingKeys = List.copyOf(routingKeys);
	}

}
