package io.eventlistener;

/**
 * Ends an {@link EventSubscription}'s publisher when the subscription's buffer was full
 * and the overflow policy is to cancel it: its reader did not keep up.
 */
public class EventSubscriptionOverflowException extends RuntimeException {

	public EventSubscriptionOverflowException(String message) {
		super(message);
	}

}
