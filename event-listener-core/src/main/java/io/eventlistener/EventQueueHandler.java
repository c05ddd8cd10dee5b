package io.eventlistener;

/**
 * Handles the events of an application-defined {@link EventQueueBinding} queue.
 */
@FunctionalInterface
public interface EventQueueHandler {

	/**
	 * Handle one event; an exception rejects the delivery.
	 * @param event the event
	 * @throws Exception to reject the delivery
	 */
	void handle(Event event) throws Exception;

	/**
	 * Which of the queue's events this handler wants (see {@link EventHandler#filter()}).
	 * @return {@link EventFilter#all()} by default
	 */
	default EventFilter filter() {
		return EventFilter.all();
	}

}
