package io.eventlistener.registry;

/**
 * Hears about changes to the {@link ObserverRegistry}, for metrics and logs. Every method
 * does nothing by default; they run on the thread that changed the registry and must not
 * block.
 */
public interface ObserverRegistryListener {

	default void registered(ObserverRegistration registration) {
	}

	default void rebound(ObserverRegistration previous, ObserverRegistration current) {
	}

	default void unregistered(ObserverRegistration registration, QueueRetention retention) {
	}

}
