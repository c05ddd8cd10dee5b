package io.eventlistener.test;

import io.eventlistener.Event;
import io.eventlistener.observer.ObserverKey;
import org.jspecify.annotations.Nullable;

/**
 * An event a handler returned from.
 *
 * @param queue the queue it was delivered on
 * @param observer the observer that handled it, or {@code null} for an application's own
 * queue
 * @param event the event as the handler received it
 */
public record HandledEvent(String queue, @Nullable ObserverKey observer, Event event) {

}
