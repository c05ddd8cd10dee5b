package io.eventlistener.subscription;

/**
 * What a subscription whose buffer is full does with the next event.
 */
public enum OverflowPolicy {

	/** Drop the oldest buffered event, count it, and keep the new one. */
	DROP_OLDEST,

	/**
	 * End the subscription with
	 * {@link io.eventlistener.EventSubscription.Reason#OVERFLOW}: for a reader that must
	 * see every event or none.
	 */
	CANCEL

}
