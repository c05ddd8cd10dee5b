package io.eventlistener.watch;

import java.util.List;

/**
 * An entity class whose changes the model watcher publishes.
 *
 * @param name the canonical type name: the JPA entity name of the topmost watched entity
 * in its hierarchy, as in {@link io.eventlistener.observer.ObserverType#name()}
 * @param javaType the entity class
 * @param observer whether it is an {@link io.eventlistener.EventObserver}, whose routing
 * keys, enabled flag and observed exchange are watched as well
 * @param attributes its {@link Watched} attributes
 */
public record WatchedType(String name, Class<?> javaType, boolean observer, List<WatchedAttribute> attributes) {

	/** The {@code attributes} key of an observer's routing keys. */
	public static final String ROUTING_KEYS = "routing_keys";

	/** The {@code attributes} key of an observer's enabled flag. */
	public static final String LISTENER_ENABLED = "listener_enabled";

	/** The {@code attributes} key of an observer's observed exchange. */
	public static final String OBSERVED_EXCHANGE = "observed_exchange";

	public WatchedType {
		attributes = List.copyOf(attributes);
	}

	/**
	 * A {@link Watched} attribute.
	 *
	 * @param name the persistent attribute's name
	 * @param key its key in the message's {@code attributes}
	 */
	public record WatchedAttribute(String name, String key) {
	}

}
