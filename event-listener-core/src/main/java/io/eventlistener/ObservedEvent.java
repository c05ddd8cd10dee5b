package io.eventlistener;

/**
 * One event of a batch and the observer it was delivered for.
 *
 * @param <T> the observer entity type
 * @param observer the observer row, as loaded when it was registered (detached)
 * @param event the event
 */
public record ObservedEvent<T extends EventObserver>(T observer, Event event) {

}
