package io.eventlistener.watch;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.eventlistener.EventObserver;
import io.eventlistener.Watched;
import io.eventlistener.WatchedModel;
import io.eventlistener.observer.AnnotatedAttributes;
import io.eventlistener.observer.ObserverTypes;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.IdentifiableType;
import jakarta.persistence.metamodel.Metamodel;
import org.jspecify.annotations.Nullable;

/**
 * The entity classes the model watcher publishes changes of, found in the JPA metamodel:
 * every {@link EventObserver} entity and every {@link WatchedModel}, with their watched
 * attributes keyed by column name, as isimud keys them.
 * <p>
 * An observer's routing keys travel under the column of its {@code routingKeys} (or
 * {@code exchangeRoutingKeys}) attribute, else under isimud's
 * {@value WatchedType#ROUTING_KEYS}; its {@link io.eventlistener.ListenerEnabled} and
 * {@code observedExchange} attributes under their columns when they are persistent. The
 * message's {@code timestamp} comes from the attribute marked {@code @UpdateTimestamp}
 * (Hibernate) or {@code @LastModifiedDate} (Spring Data), else from the one whose column
 * is {@code updated_at} (Rails), else it is the publish time.
 */
public final class WatchedTypes {

	private static final Set<String> UPDATE_TIMESTAMP_ANNOTATIONS = Set.of("org.hibernate.annotations.UpdateTimestamp",
			"org.springframework.data.annotation.LastModifiedDate");

	private static final String RAILS_UPDATED_AT = "updated_at";

	private final Map<Class<?>, WatchedType> byClass;

	public WatchedTypes(Collection<WatchedType> types) {
		Map<Class<?>, WatchedType> map = new LinkedHashMap<>();
		types.forEach((type) -> map.put(type.javaType(), type));
		this.byClass = Map.copyOf(map);
	}

	/**
	 * Find the watched entity classes of a persistence unit.
	 * @param metamodel the persistence unit's metamodel
	 * @param columns the column behind each attribute
	 * @return the watched types
	 * @throws IllegalStateException if a {@link Watched} mark is not on a basic
	 * persistent attribute
	 */
	public static WatchedTypes fromMetamodel(Metamodel metamodel, ColumnNames columns) {
		List<WatchedType> types = new ArrayList<>();
		for (EntityType<?> entity : metamodel.getEntities()) {
			if (isWatched(entity.getJavaType())) {
				types.add(watchedType(entity, columns));
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

	private static WatchedType watchedType(EntityType<?> entity, ColumnNames columns) {
		Class<?> javaType = entity.getJavaType();
		boolean observer = EventObserver.class.isAssignableFrom(javaType);
		List<WatchedType.WatchedAttribute> attributes = new ArrayList<>();
		if (observer) {
			String routingKeys = isBasic(entity, "routingKeys") ? "routingKeys" : "exchangeRoutingKeys";
			attributes.add(new WatchedType.WatchedAttribute(routingKeys,
					basicColumn(entity, columns, routingKeys).orElse(WatchedType.ROUTING_KEYS), true));
			String enabled = ObserverTypes.enabledAttribute(entity);
			if (enabled != null) {
				addColumn(attributes, entity, columns, enabled);
			}
			addColumn(attributes, entity, columns, "observedExchange");
		}
		for (WatchedType.WatchedAttribute watched : watchedAttributes(entity, columns)) {
			if (attributes.stream().noneMatch((attribute) -> attribute.name().equals(watched.name()))) {
				attributes.add(watched);
			}
		}
		List<String> order = declarationOrder(javaType);
		attributes.sort(Comparator.comparingInt((attribute) -> order.indexOf(attribute.name())));
		return new WatchedType(rootName(entity), javaType, observer, attributes, timestampAttribute(entity, columns));
	}

	/**
	 * The entity's field names, the topmost superclass's first; an attribute it does not
	 * declare as a field sorts first.
	 */
	private static List<String> declarationOrder(Class<?> javaType) {
		List<String> names = new ArrayList<>();
		for (Class<?> type = javaType; type != null && type != Object.class; type = type.getSuperclass()) {
			List<String> declared = new ArrayList<>();
			for (Field field : type.getDeclaredFields()) {
				declared.add(field.getName());
			}
			names.addAll(0, declared);
		}
		return names;
	}

	private static void addColumn(List<WatchedType.WatchedAttribute> attributes, EntityType<?> entity,
			ColumnNames columns, String name) {
		basicColumn(entity, columns, name)
			.ifPresent((column) -> attributes.add(new WatchedType.WatchedAttribute(name, column)));
	}

	private static Optional<String> basicColumn(EntityType<?> entity, ColumnNames columns, String name) {
		return isBasic(entity, name) ? columns.column(entity.getJavaType(), name) : Optional.empty();
	}

	private static boolean isBasic(EntityType<?> entity, String name) {
		try {
			return entity.getAttribute(name).getPersistentAttributeType() == Attribute.PersistentAttributeType.BASIC;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static @Nullable String timestampAttribute(EntityType<?> entity, ColumnNames columns) {
		String byColumn = null;
		for (Attribute<?, ?> attribute : entity.getAttributes()) {
			if (attribute.getPersistentAttributeType() != Attribute.PersistentAttributeType.BASIC) {
				continue;
			}
			if (attribute.getJavaMember() instanceof AnnotatedElement element && isUpdateTimestamp(element)) {
				return attribute.getName();
			}
			if (byColumn == null && columns.column(entity.getJavaType(), attribute.getName())
				.filter(RAILS_UPDATED_AT::equalsIgnoreCase)
				.isPresent()) {
				byColumn = attribute.getName();
			}
		}
		return byColumn;
	}

	/**
	 * Compared by name, so neither Hibernate's nor Spring Data's annotation has to be on
	 * the class path.
	 */
	private static boolean isUpdateTimestamp(AnnotatedElement element) {
		for (Annotation annotation : element.getAnnotations()) {
			if (UPDATE_TIMESTAMP_ANNOTATIONS.contains(annotation.annotationType().getName())) {
				return true;
			}
		}
		return false;
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

	private static List<WatchedType.WatchedAttribute> watchedAttributes(EntityType<?> entity, ColumnNames columns) {
		List<WatchedType.WatchedAttribute> attributes = new ArrayList<>();
		for (AnnotatedAttributes.Marked<Watched> marked : AnnotatedAttributes.of(entity.getJavaType(), Watched.class)) {
			attributes.add(watchedAttribute(entity, columns, marked.name(), marked.annotation()));
		}
		return attributes;
	}

	private static WatchedType.WatchedAttribute watchedAttribute(EntityType<?> entity, ColumnNames columns, String name,
			Watched watched) {
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
		String key = !watched.name().isEmpty() ? watched.name() : columns.column(entity.getJavaType(), name)
			.orElseThrow(() -> invalid(entity, name, "is not mapped to one column: name it with @Watched(name)"));
		return new WatchedType.WatchedAttribute(name, key);
	}

	private static IllegalStateException invalid(EntityType<?> entity, String name, String problem) {
		return new IllegalStateException("@Watched on " + entity.getJavaType().getName() + "." + name + " " + problem
				+ ": only basic persistent attributes can be watched");
	}

}
