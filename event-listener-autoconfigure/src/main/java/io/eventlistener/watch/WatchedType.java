package io.eventlistener.watch;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An entity class whose changes the model watcher publishes.
 *
 * @param name the canonical type name: the JPA entity name of the topmost watched entity
 * in its hierarchy, as in {@link io.eventlistener.observer.ObserverType#name()}
 * @param javaType the entity class
 * @param routingKeysKey for an {@link io.eventlistener.EventObserver}, the
 * {@code attributes} key its routing keys travel under (the column of its
 * {@code routingKeys} attribute, else isimud's {@value #ROUTING_KEYS}); {@code null} for
 * any other entity
 * @param attributes its other watched attributes: for an observer its
 * {@link io.eventlistener.ListenerEnabled} and {@code observedExchange} attributes when
 * they are columns, then the {@link Watched} ones
 * @param timestampAttribute the attribute the message's {@code timestamp} is read from
 * (isimud's {@code updated_at}), or {@code null} to stamp it with the publish time
 */
public record WatchedType(String name, Class<?> javaType, @Nullable String routingKeysKey,
		List<WatchedAttribute> attributes, @Nullable String timestampAttribute) {

	/**
	 * The {@code attributes} key of an observer's routing keys when no column holds them:
	 * the column isimud's {@code EventObserver} requires.
	 */
	public static final String ROUTING_KEYS = "exchange_routing_keys";

	public WatchedType {
		attributes = List.copyOf(attributes);
	}

	/**
	 * Whether this is an {@link io.eventlistener.EventObserver} entity, whose routing
	 * keys, enabled flag and observed exchange are always watched.
	 * @return {@code true} for an observer
	 */
	public boolean observer() {
		return this.routingKeysKey != null;
	}

	/**
	 * A watched attribute.
	 *
	 * @param name the persistent attribute's name
	 * @param key its key in the message's {@code attributes}: its column name, or
	 * {@code @Watched(name)}
	 */
	public record WatchedAttribute(String name, String key) {
	}

}
