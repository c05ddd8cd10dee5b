package io.eventlistener.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.eventlistener.EventFilter;
import io.eventlistener.EventHandler;
import io.eventlistener.EventObserver;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.ResolvableType;

/**
 * The {@link EventHandler} of each observer type: a bean, or an adapted
 * {@code @EventObserverHandler} method. Every observer type needs exactly one: a missing
 * or ambiguous handler is a start-up failure, never a queue filling up unread.
 */
public final class ObserverHandlers implements SmartInitializingSingleton {

	private final Supplier<Map<ObserverType<?>, EventHandler<?>>> lookup;

	private volatile @Nullable Resolved resolved;

	/**
	 * Create a new {@code ObserverHandlers}.
	 * @param handlers the handler of each observer type; each handler's
	 * {@link EventHandler#filter() filter} is read now, once
	 */
	public ObserverHandlers(Map<ObserverType<?>, EventHandler<?>> handlers) {
		this.lookup = () -> handlers;
		this.resolved = new Resolved(handlers);
	}

	private ObserverHandlers(Supplier<Map<ObserverType<?>, EventHandler<?>>> lookup) {
		this.lookup = lookup;
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
		return new ObserverHandlers(lookUp(beanFactory, types, List.of()));
	}

	/**
	 * Like {@link #fromBeanFactory(ListableBeanFactory, ObserverTypes)}, with handlers
	 * that are not beans of their own (annotated methods) counted too; looked up once
	 * every singleton is created ({@link #afterSingletonsInstantiated()}), so that every
	 * bean's methods have been found.
	 * @param beanFactory the bean factory
	 * @param types the observer types
	 * @param others supplies the other handlers, when every singleton is created
	 * @return the handlers, looked up later
	 */
	public static ObserverHandlers fromBeanFactory(ListableBeanFactory beanFactory, ObserverTypes types,
			Supplier<List<NamedHandler>> others) {
		return new ObserverHandlers(() -> lookUp(beanFactory, types, others.get()));
	}

	private static Map<ObserverType<?>, EventHandler<?>> lookUp(ListableBeanFactory beanFactory, ObserverTypes types,
			List<NamedHandler> others) {
		Map<ObserverType<?>, EventHandler<?>> handlers = new LinkedHashMap<>();
		for (ObserverType<?> type : types.all()) {
			ResolvableType handlerType = ResolvableType.forClassWithGenerics(EventHandler.class, type.javaType());
			List<String> names = new ArrayList<>(List.of(beanFactory.getBeanNamesForType(handlerType)));
			List<NamedHandler> ofType = others.stream()
				.filter((other) -> other.observerType() == type.javaType())
				.toList();
			ofType.forEach((other) -> names.add(other.name()));
			if (names.size() != 1) {
				throw new EventHandlerNotUniqueException(type.javaType(), names);
			}
			handlers.put(type,
					ofType.isEmpty() ? (EventHandler<?>) beanFactory.getBean(names.get(0)) : ofType.get(0).handler());
		}
		return handlers;
	}

	/**
	 * Look the handlers up now, if they are looked up late, so that a missing or
	 * ambiguous handler fails start-up.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		resolved();
	}

	private Resolved resolved() {
		Resolved resolved = this.resolved;
		if (resolved == null) {
			synchronized (this) {
				resolved = this.resolved;
				if (resolved == null) {
					resolved = new Resolved(this.lookup.get());
					this.resolved = resolved;
				}
			}
		}
		return resolved;
	}

	/**
	 * The filter of a type's handler.
	 * @param type the observer type
	 * @return the filter, read when the handlers were looked up
	 */
	public EventFilter filter(ObserverType<?> type) {
		return resolved().filters().getOrDefault(type, EventFilter.all());
	}

	/**
	 * The handler of a type.
	 * @param <T> the observer class
	 * @param type the observer type
	 * @return its handler
	 */
	@SuppressWarnings("unchecked")
	public <T extends EventObserver> EventHandler<T> get(ObserverType<T> type) {
		EventHandler<?> handler = resolved().handlers().get(type);
		if (handler == null) {
			throw new IllegalStateException("No EventHandler for observer type " + type);
		}
		return (EventHandler<T>) handler;
	}

	/**
	 * The handlers, and their filters read once.
	 */
	private record Resolved(Map<ObserverType<?>, EventHandler<?>> handlers, Map<ObserverType<?>, EventFilter> filters) {

		Resolved(Map<ObserverType<?>, EventHandler<?>> handlers) {
			this(Map.copyOf(handlers), handlers.entrySet()
				.stream()
				.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (entry) -> entry.getValue().filter())));
		}

	}

}
