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

}
