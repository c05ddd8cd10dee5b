package io.eventlistener.dispatch;

import io.eventlistener.Event;
import io.eventlistener.registry.ObserverRegistration;
import org.jspecify.annotations.Nullable;

/**
 * One decoded delivery on its way to a handler: the queue it came from, the observer that
 * queue belongs to (or {@code null} for an application's
 * {@link io.eventlistener.EventQueueBinding} queue) and the event.
 *
 * @param queue the queue the delivery came from
 * @param observer the registered observer consuming that queue, or {@code null}
 * @param event the decoded event
 */
public record EventDelivery(String queue, @Nullable ObserverRegistration observer, Event event) {

	/**
	 * What metrics tag the delivery with: the observer's canonical type name, or the
	 * queue name for an application queue (those are few and fixed, never per row).
	 * @return the observer type name or the application queue's name
	 */
	public String observerType() {
		return (this.observer != null) ? this.observer.type().name() : this.queue;
	}

}
