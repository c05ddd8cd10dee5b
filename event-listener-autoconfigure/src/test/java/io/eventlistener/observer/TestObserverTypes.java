package io.eventlistener.observer;

import java.util.Set;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventObserver;

/**
 * Builds observer types and definitions without a JPA metamodel, for unit tests.
 */
public final class TestObserverTypes {

	private TestObserverTypes() {
	}

	public static <T extends EventObserver> ObserverType<T> longId(String name, Class<T> javaType) {
		return new ObserverType<>(name, javaType, "id", Long.class, null);
	}

	public static <T extends EventObserver> ObserverType<T> longId(String name, Class<T> javaType,
			DeliveryMode delivery) {
		return new ObserverType<>(name, javaType, "id", Long.class, null, delivery);
	}

	public static ObserverDefinition definition(ObserverType<?> type, long id, EventObserver observer,
			String... routingKeys) {
		return new ObserverDefinition(type, id, observer, null, Set.of(routingKeys));
	}

}
