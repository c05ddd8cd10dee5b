package io.eventlistener.dispatch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventlistener.EventHandler;
import io.eventlistener.EventObserver;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.ResolvableType;

/**
 * The {@link EventHandler} of each observer type. Every observer type needs exactly one:
 * a missing or ambiguous handler is a start-up failure, never a queue filling up unread.
 */
public final class ObserverHandlers {

	private final Map<ObserverType<?>, EventHandler<?>> handlers;

	public ObserverHandlers(Map<ObserverType<?>, EventHandler<?>> handlers) {
		this.handlers = Map.copyOf(handlers);
	}

	/**
	 * Find the handler bean of every observer type by its generic type, so both handler
	 * classes and {@code @Bean} methods returning {@code EventHandler<MyObserver>} count.
	 * @param beanFactory the bean factory
	 * @param types the observer types
	 * @return the handlers
	 * @throws EventHandlerNotUniqueException if a type has no handler or more than one
	 */
	public static ObserverHandlers fromBeanFactory(ListableBeanFactory beanFactory, ObserverTypes types) {
		Map<ObserverType<?>, EventHandler<?>> handlers = new LinkedHashMap<>();
		for (ObserverType<?> type : types.all()) {
			ResolvableType handlerType = ResolvableType.forClassWithGenerics(EventHandler.class, type.javaType());
			List<String> names = List.of(beanFactory.getBeanNamesForType(handlerType));
			if (names.size() != 1) {
				throw new EventHandlerNotUniqueException(type.javaType(), names);
			}
			handlers.put(type, (EventHandler<?>) beanFactory.getBean(names.get(0)));
		}
		return new ObserverHandlers(handlers);
	}

	/**
	 * The handler of a type.
	 * @param <T> the observer class
	 * @param type the observer type
	 * @return its handler
	 */
	@SuppressWarnings("unchecked")
	public <T extends EventObserver> EventHandler<T> get(ObserverType<T> type) {
		EventHandler<?> handler = this.handlers.get(type);
		if (handler == null) {
			throw new IllegalStateException("No EventHandler for observer type " + type);
		}
		return (EventHandler<T>) handler;
	}

}
