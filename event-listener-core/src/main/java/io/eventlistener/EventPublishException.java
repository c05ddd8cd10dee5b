package io.eventlistener;

/**
 * Thrown when the broker did not confirm a published event: it was refused (nack), the
 * confirm did not arrive in time, or the message could not be sent.
 */
public class EventPublishException extends RuntimeException {

	public EventPublishException(String message) {
		super(message);
	}

	public EventPublishException(String message, Throwable cause) {
		super(message, cause);
	}

}
