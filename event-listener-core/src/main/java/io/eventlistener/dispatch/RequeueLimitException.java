package io.eventlistener.dispatch;

/**
 * A handler requeued a delivery more often than
 * {@code event-listener.requeue.max-requeues} allows; the delivery is dead-lettered with
 * this as the reason.
 */
public class RequeueLimitException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public RequeueLimitException(String message) {
		super(message);
	}

}
