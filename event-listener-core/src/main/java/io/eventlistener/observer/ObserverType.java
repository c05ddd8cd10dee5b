package io.eventlistener.observer;

import java.util.UUID;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventObserver;
import org.jspecify.annotations.Nullable;

/**
 * One entity type whose rows are observers. Its {@link #name() canonical name} is the JPA
 * entity name (by default the unqualified class name, as isimud's
 * {@code base_class.name.demodulize}); it is the one name used in queue names,
 * model-watcher routing keys and messages, and registry keys.
 *
 * @param <T> the entity class
 */
public final class ObserverType<T extends EventObserver> {

	private final String name;

	private final Class<T> javaType;

	private final String idAttribute;

	private final Class<?> idType;

	private final @Nullable String enabledAttribute;

	private final DeliveryMode delivery;

	ObserverType(String name, Class<T> javaType, String idAttribute, Class<?> idType,
			@Nullable String enabledAttribute) {
		this(name, javaType, idAttribute, idType, enabledAttribute, DeliveryMode.POOL);
	}

	ObserverType(String name, Class<T> javaType, String idAttribute, Class<?> idType, @Nullable String enabledAttribute,
			DeliveryMode delivery) {
		this.name = name;
		this.javaType = javaType;
		this.idAttribute = idAttribute;
		this.idType = idType;
		this.enabledAttribute = enabledAttribute;
		this.delivery = delivery;
	}

	/**
	 * How this type's events are spread over the running instances.
	 * @return the delivery mode, {@link DeliveryMode#POOL} unless chosen otherwise
	 */
	public DeliveryMode delivery() {
		return this.delivery;
	}

	ObserverType<T> withDelivery(DeliveryMode delivery) {
		return new ObserverType<>(this.name, this.javaType, this.idAttribute, this.idType, this.enabledAttribute,
				delivery);
	}

	/**
	 * The canonical type name, such as {@code Subscription}.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The name in snake_case, as in queue names ({@code SubscriptionPlan} becomes
	 * {@code subscription_plan}).
	 * @return the snake_case name
	 */
	public String snakeCaseName() {
		return QueueNames.snakeCase(this.name);
	}

	public Class<T> javaType() {
		return this.javaType;
	}

	String idAttribute() {
		return this.idAttribute;
	}

	@Nullable String enabledAttribute() {
		return this.enabledAttribute;
	}

	/**
	 * Parse an id taken from a message strictly into this type's id class.
	 * @param text the id as text
	 * @return the id
	 * @throws IllegalArgumentException if the text is not a valid id of this type
	 */
	public Object parseId(String text) {
		if (this.idType == Long.class) {
			return Long.valueOf(text);
		}
		if (this.idType == Integer.class) {
			return Integer.valueOf(text);
		}
		if (this.idType == UUID.class) {
			UUID uuid = UUID.fromString(text);
			if (!uuid.toString().equalsIgnoreCase(text)) {
				throw new IllegalArgumentException("not a canonical UUID: " + text);
			}
			return uuid;
		}
		if (text.isEmpty()) {
			throw new IllegalArgumentException("empty id");
		}
		return text;
	}

	/**
	 * The key of one row of this type.
	 * @param id the row's id
	 * @return the key
	 */
	public ObserverKey key(Object id) {
		return new ObserverKey(this.name, id.toString());
	}

	@Override
	public String toString() {
		return this.name + " (" + this.javaType.getName() + ")";
	}

}
