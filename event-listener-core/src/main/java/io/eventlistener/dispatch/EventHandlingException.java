package io.eventlistener.dispatch;

/**
 * A handler failed on an event; the message names the observer, the queue, the event and
 * the attempt, and {@link #isRetryable()} carries the exception handlers' decision.
 */
public class EventHandlingException extends RuntimeException {

	private final boolean retryable;

	public EventHandlingException(String message, Throwable cause, boolean retryable) {
		super(message, cause);
		this.retryable = retryable;
	}

	/**
	 * Whether the delivery may be tried again.
	 * @return the decision of the exception handlers under the {@link RetryMode}
	 */
	public boolean isRetryable() {
		return this.retryable;
	}

}
