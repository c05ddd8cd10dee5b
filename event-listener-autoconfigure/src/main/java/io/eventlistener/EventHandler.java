package io.eventlistener;

/**
 * Handles the events delivered to the observers of one entity type: declare one bean per
 * {@link EventObserver} type, as a class or as a {@code @Bean} method returning
 * {@code EventHandler<MyObserver>}; the type argument says which entity it serves.
 * <p>
 * The delivery is acknowledged when this method returns. An exception rejects it, and the
 * error policy decides what happens next; other observers are not affected. Handlers may
 * see an event twice (at-least-once delivery), so make them idempotent.
 *
 * @param <T> the observer entity type
 */
@FunctionalInterface
public interface EventHandler<T extends EventObserver> {

	/**
	 * Handle one event for one observer.
	 * @param observer the observer row, as loaded when it was registered (detached)
	 * @param event the event
	 * @throws Exception to reject the delivery
	 */
	void handle(T observer, Event event) throws Exception;

}
