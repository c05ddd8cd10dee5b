package io.eventlistener;

/**
 * Handles the events delivered to the observers of one entity type: declare one bean per
 * {@link EventObserver} type, as a class or as a {@code @Bean} method returning
 * {@code EventHandler<MyObserver>}; the type argument says which entity it serves.
 * <p>
 * The delivery is acknowledged when this method returns. An exception rejects it, and the
 * error policy decides what happens next; other observers are not affected. Throw
 * {@link EventRequeueException} to have it tried again later, or
 * {@link EventRejectedException} to dead-letter it at once. Handlers may see an event
 * twice (at-least-once delivery), so make them idempotent.
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

	/**
	 * Which of the delivered events this handler wants, beyond the observers' routing
	 * keys; the others are acknowledged without calling {@link #handle} and counted
	 * {@code outcome=filtered}. Read once, when the handlers are looked up at start-up.
	 * @return {@link EventFilter#all()} by default
	 */
	default EventFilter filter() {
		return EventFilter.all();
	}

}
