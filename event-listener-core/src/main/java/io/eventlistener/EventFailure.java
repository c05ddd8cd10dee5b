package io.eventlistener;

import org.jspecify.annotations.Nullable;

/**
 * A handler's failure on one delivery, as shown to {@link EventExceptionHandler}s.
 *
 * @param queueName the queue the delivery came from
 * @param observer the observer row, or {@code null} for an application's
 * {@link EventQueueBinding} queue
 * @param event the event
 * @param attempt which attempt failed, from 1
 * @param exception what the handler threw
 */
public record EventFailure(String queueName, @Nullable EventObserver observer, Event event, int attempt,
		Throwable exception) {

}
