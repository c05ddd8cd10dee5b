package io.eventlistener.dispatch;

import java.util.List;

/**
 * An observer type has no {@link io.eventlistener.EventHandler} bean or
 * {@code @EventObserverHandler} method, or more than one: every type needs exactly one,
 * so that each event is handled once.
 */
public class EventHandlerNotUniqueException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final Class<?> observerType;

	private final List<String> beanNames;

	/**
	 * Create a new {@code EventHandlerNotUniqueException}.
	 * @param observerType the observer entity class
	 * @param beanNames the names of its handler beans and methods (none, or more than
	 * one)
	 */
	public EventHandlerNotUniqueException(Class<?> observerType, List<String> beanNames) {
		super(((beanNames.isEmpty()) ? "No" : "More than one (" + beanNames + ")") + " EventHandler<"
				+ observerType.getSimpleName() + "> bean for observer entity " + observerType.getName()
				+ ": declare exactly one bean implementing EventHandler<" + observerType.getSimpleName()
				+ ">, or one @EventObserverHandler method taking " + observerType.getSimpleName());
		this.observerType = observerType;
		this.beanNames = List.copyOf(beanNames);
	}

	/** The observer entity class. */
	public Class<?> getObserverType() {
		return this.observerType;
	}

	/** The names of its handler beans and methods: none, or more than one. */
	public List<String> getBeanNames() {
		return this.beanNames;
	}

}
