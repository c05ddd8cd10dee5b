package io.eventlistener.watch;

import java.beans.Introspector;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.eventlistener.EventObserver;
import io.eventlistener.observer.QueueNames;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.IdentifiableType;
import jakarta.persistence.metamodel.Metamodel;

/**
 * The entity classes the model watcher publishes changes of, found in the JPA metamodel:
 * every {@link EventObserver} entity and every {@link WatchedModel}, with their
 * {@link Watched} attributes.
 */
public final class WatchedTypes {

	private final Map<Class<?>, WatchedType> byClass;

	public WatchedTypes(Collection<WatchedType> types) {
		Map<Class<?>, WatchedType> map = new LinkedHashMap<>();
		types.forEach((type) -> map.put(type.javaType(), type));
		this.byClass = Map.copyOf(map);
	}

	/**
	 * Find the watched entity classes of a persistence unit.
	 * @param metamodel the persistence unit's metamodel
	 * @return the watched types
	 * @throws IllegalStateException if a {@link Watched} mark is not on a basic
	 * persistent attribute
	 */
	public static WatchedTypes fromMetamodel(Metamodel metamodel) {
		List<WatchedType> types = new ArrayList<>();
		for (EntityType<?> entity : metamodel.getEntities()) {
			if (isWatched(entity.getJavaType())) {
				types.add(new WatchedType(rootName(entity), entity.getJavaType(),
						EventObserver.class.isAssignableFrom(entity.getJavaType()), attributes(entity)));
			}
		}
		return new WatchedTypes(types);
	}

	/**
	 * The watched type of an entity class.
	 * @param entityClass the mapped class
	 * @return its type, or empty if its changes are not published
	 */
	public Optional<WatchedType> find(Class<?> entityClass) {
		return Optional.ofNullable(this.byClass.get(entityClass));
	}

	public Collection<WatchedType> all() {
		return this.byClass.values();
	}

	private static boolean isWatched(Class<?> type) {
		return EventObserver.class.isAssignableFrom(type) || type.isAnnotationPresent(WatchedModel.class);
	}

	/**
	 * The name of the topmost watched entity in the hierarchy, so every subclass
	 * publishes under its base class's name (isimud's {@code base_class.name}).
	 */
	private static String rootName(EntityType<?> entity) {
		EntityType<?> root = entity;
		for (IdentifiableType<?> parent = entity.getSupertype(); parent != null; parent = parent.getSupertype()) {
			if (parent instanceof EntityType<?> parentEntity && isWatched(parentEntity.getJavaType())) {
				root = parentEntity;
			}
		}
		return root.getName();
	}

	private static List<WatchedType.WatchedAttribute> attributes(EntityType<?> entity) {
		List<WatchedType.WatchedAttribute> attributes = new ArrayList<>();
		for (Class<?> type = entity.getJavaType(); type != null && type != Object.class; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				add(attributes, entity, field, field.getName());
			}
			for (Method method : type.getDeclaredMethods()) {
				add(attributes, entity, method, propertyName(method.getName()));
			}
		}
		return attributes;
	}

	private static void add(List<WatchedType.WatchedAttribute> attributes, EntityType<?> entity,
			AnnotatedElement element, String name) {
		Watched watched = element.getAnnotation(Watched.class);
		if (watched == null) {
			return;
		}
		Attribute<?, ?> attribute;
		try {
			attribute = entity.getAttribute(name);
		}
		catch (IllegalArgumentException ex) {
			// the metamodel's message adds nothing to ours: ours is the root cause
			throw invalid(entity, name, "is not a persistent attribute");
		}
		if (attribute.getPersistentAttributeType() != Attribute.PersistentAttributeType.BASIC) {
			throw invalid(entity, name, "must mark a basic attribute, not " + attribute.getPersistentAttributeType());
		}
		String key = watched.name().isEmpty() ? QueueNames.snakeCase(name) : watched.name();
		attributes.add(new WatchedType.WatchedAttribute(name, key));
	}

	private static IllegalStateException invalid(EntityType<?> entity, String name, String problem) {
		return new IllegalStateException("@Watched on " + entity.getJavaType().getName() + "." + name + " " + problem
				+ ": only basic persistent attributes can be watched");
	}

	private static String propertyName(String getter) {
		String bare = getter.startsWith("is") ? getter.substring(2)
				: getter.startsWith("get") ? getter.substring(3) : getter;
		return Introspector.decapitalize(bare);
	}

}
