package io.eventlistener.observer;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.eventlistener.Delivery;
import io.eventlistener.DeliveryMode;
import io.eventlistener.EventObserver;
import io.eventlistener.ListenerEnabled;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.IdentifiableType;
import jakarta.persistence.metamodel.Metamodel;
import jakarta.persistence.metamodel.SingularAttribute;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotationUtils;

/**
 * The allow-list of observer types: the root entities of the JPA metamodel that implement
 * {@link EventObserver}. A type name taken from a message is only ever looked up here;
 * nothing is loaded by name.
 */
public final class ObserverTypes {

	private static final Set<Class<?>> ID_TYPES = Set.of(Long.class, Integer.class, String.class, UUID.class);

	private final Map<String, ObserverType<?>> byName;

	public ObserverTypes(Collection<ObserverType<?>> types) {
		Map<String, ObserverType<?>> map = new LinkedHashMap<>();
		types.forEach((type) -> map.put(type.name(), type));
		this.byName = Collections.unmodifiableMap(map);
	}

	/**
	 * Find the observer types of a persistence unit.
	 * @param metamodel the persistence unit's metamodel
	 * @return the observer types, in metamodel order
	 * @throws IllegalStateException if an observer type cannot be supported (composite or
	 * unsupported id, a {@link ListenerEnabled} attribute that is not boolean)
	 */
	public static ObserverTypes fromMetamodel(Metamodel metamodel) {
		return new ObserverTypes(metamodel.getEntities()
			.stream()
			.filter(ObserverTypes::isRootObserver)
			.<ObserverType<?>>map(ObserverTypes::observerType)
			.toList());
	}

	/**
	 * Look up a type by its canonical name.
	 * @param name the canonical name, for example from a message
	 * @return the type, or empty if it is not an observer type
	 */
	public Optional<ObserverType<?>> find(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	public Collection<ObserverType<?>> all() {
		return this.byName.values();
	}

	private static boolean isRootObserver(EntityType<?> entity) {
		if (!EventObserver.class.isAssignableFrom(entity.getJavaType())) {
			return false;
		}
		IdentifiableType<?> parent = entity.getSupertype();
		while (parent != null) {
			if (parent instanceof EntityType<?> && EventObserver.class.isAssignableFrom(parent.getJavaType())) {
				return false;
			}
			parent = parent.getSupertype();
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private static <T extends EventObserver> ObserverType<T> observerType(EntityType<?> entity) {
		Class<T> javaType = (Class<T>) entity.getJavaType();
		if (!entity.hasSingleIdAttribute()) {
			throw new IllegalStateException("Observer entity " + javaType.getName()
					+ " has a composite id; observers need a single Long, Integer, String or UUID id");
		}
		Class<?> idType = wrap(entity.getIdType().getJavaType());
		if (!ID_TYPES.contains(idType)) {
			throw new IllegalStateException("Observer entity " + javaType.getName() + " has an id of type "
					+ idType.getName() + "; observers need a Long, Integer, String or UUID id");
		}
		SingularAttribute<?, ?> id = entity.getId(entity.getIdType().getJavaType());
		return new ObserverType<>(entity.getName(), javaType, id.getName(), idType, enabledAttribute(entity),
				delivery(javaType));
	}

	/**
	 * The delivery mode an observer entity's {@link Delivery} annotation chooses.
	 * @param javaType the entity class
	 * @return its mode, {@link DeliveryMode#POOL} without the annotation
	 */
	static DeliveryMode delivery(Class<?> javaType) {
		Delivery delivery = AnnotationUtils.findAnnotation(javaType, Delivery.class);
		return (delivery != null) ? delivery.value() : DeliveryMode.POOL;
	}

	/**
	 * The same types, with the delivery modes the settings choose instead of those of
	 * their {@link Delivery} annotations.
	 * @param modes delivery modes by canonical type name
	 * @return the types with those modes
	 * @throws IllegalStateException if a name is not an observer type's
	 */
	public ObserverTypes withDelivery(Map<String, DeliveryMode> modes) {
		// case-insensitive: an environment variable's key arrives in lower case
		Map<String, DeliveryMode> byLowerCaseName = new LinkedHashMap<>();
		modes.forEach((name, mode) -> {
			if (this.byName.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
				throw new IllegalStateException("event-listener.delivery.observers." + name
						+ " names no observer type; the observer types are " + this.byName.keySet());
			}
			byLowerCaseName.put(name.toLowerCase(Locale.ROOT), mode);
		});
		return new ObserverTypes(this.byName.values().stream().<ObserverType<?>>map((type) -> {
			DeliveryMode mode = byLowerCaseName.get(type.name().toLowerCase(Locale.ROOT));
			return (mode != null) ? type.withDelivery(mode) : type;
		}).toList());
	}

	/**
	 * The attribute an observer entity marks with {@link ListenerEnabled}.
	 * @param entity the observer entity
	 * @return its name, or {@code null} if none is marked
	 * @throws IllegalStateException if the mark is not on a boolean persistent attribute
	 */
	public static @Nullable String enabledAttribute(EntityType<?> entity) {
		String name = annotatedAttributeName(entity.getJavaType());
		if (name == null) {
			return null;
		}
		Attribute<?, ?> attribute;
		try {
			attribute = entity.getAttribute(name);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@ListenerEnabled on " + entity.getJavaType().getName() + "." + name
					+ " is not a persistent attribute", ex);
		}
		if (wrap(attribute.getJavaType()) != Boolean.class) {
			throw new IllegalStateException("@ListenerEnabled on " + entity.getJavaType().getName() + "." + name
					+ " must mark a boolean attribute");
		}
		return name;
	}

	private static @Nullable String annotatedAttributeName(Class<?> type) {
		List<AnnotatedAttributes.Marked<ListenerEnabled>> marked = AnnotatedAttributes.of(type, ListenerEnabled.class);
		return marked.isEmpty() ? null : marked.get(0).name();
	}

	private static Class<?> wrap(Class<?> type) {
		if (type == long.class) {
			return Long.class;
		}
		if (type == int.class) {
			return Integer.class;
		}
		if (type == boolean.class) {
			return Boolean.class;
		}
		return type;
	}

}
