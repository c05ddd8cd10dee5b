package io.eventlistener;

import org.jspecify.annotations.Nullable;

/**
 * An {@link EventQueueHandler} that answers requests, as {@link EventReplyHandler} does
 * for observers.
 */
@FunctionalInterface
public interface EventQueueReplyHandler extends EventQueueHandler {

	/**
	 * Handle one event and answer it.
	 * @param event the event
	 * @return the reply, written as JSON by Jackson, or {@code null} for none
	 * @throws Exception to reject the delivery (and answer a request with an error)
	 */
	@Nullable Object reply(Event event) throws Exception;

	@Override
	default void handle(Event event) throws Exception {
		reply(event);
	}

}
