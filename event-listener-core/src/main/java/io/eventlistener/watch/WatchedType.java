package io.eventlistener.watch;

import java.util.List;

import io.eventlistener.Watched;
import org.jspecify.annotations.Nullable;

/**
 * An entity class whose changes the model watcher publishes.
 *
 * @param name the canonical type name: the JPA entity name of the topmost watched entity
 * in its hierarchy, as in {@link io.eventlistener.observer.ObserverType#name()}
 * @param javaType the entity class
 * @param observer whether it is an {@link io.eventlistener.EventObserver}, whose routing
 * keys, enabled flag and observed exchange are always watched
 * @param attributes its watched attributes, in the order the entity declares them (a
 * mapping written in column order sends them in isimud's order): for an observer its
 * routing keys (under the column of its {@code routingKeys} attribute, else isimud's
 * {@value #ROUTING_KEYS}), its {@link io.eventlistener.ListenerEnabled} and
 * {@code observedExchange} attributes when they are columns; then the {@link Watched}
 * ones
 * @param timestampAttribute the attribute the message's {@code timestamp} is read from
 * (isimud's {@code updated_at}), or {@code null} to stamp it with the publish time
 */
public record WatchedType(String name, Class<?> javaType, boolean observer, List<WatchedAttribute> attributes,
		@Nullable String timestampAttribute) {

	/**
	 * The {@code attributes} key of an observer's routing keys when no column holds them:
	 * the column isimud's {@code EventObserver} requires.
	 */
	public static final String ROUTING_KEYS = "exchange_routing_keys";

	public WatchedType {
		attributes = List.copyOf(attributes);
	}

	/**
	 * A watched attribute.
	 *
	 * @param name the persistent attribute's name
	 * @param key its key in the message's {@code attributes}: its column name, or
	 * {@code @Watched(name)}
	 * @param routingKeys whether this is an observer's routing keys, whose value is read
	 * through {@link io.eventlistener.EventObserver#getRoutingKeys()} and sent as an
	 * array
	 */
	public record WatchedAttribute(String name, String key, boolean routingKeys) {

		public WatchedAttribute(String name, String key) {
			this(name, key, false);
		}

	}

}
