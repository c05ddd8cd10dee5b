package io.eventlistener.registry;

/**
 * Hears about changes to the {@link ObserverRegistry}, for metrics and logs. Every method
 * does nothing by default; they run on the thread that changed the registry and must not
 * block. A listener that throws is logged (rate-limited) and skipped: the change stands
 * and the other listeners still hear of it.
 */
public interface ObserverRegistryListener {

	default void registered(ObserverRegistration registration) {
	}

	default void rebound(ObserverRegistration previous, ObserverRegistration current) {
	}

	default void unregistered(ObserverRegistration registration, QueueRetention retention) {
	}

}
