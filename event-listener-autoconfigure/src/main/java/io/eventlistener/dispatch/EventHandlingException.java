package io.eventlistener.dispatch;

/**
 * A handler failed on an event; the message names the observer, the queue and the event.
 */
public class EventHandlingException extends RuntimeException {

	public EventHandlingException(String message, Throwable cause) {
		super(message, cause);
	}

}
