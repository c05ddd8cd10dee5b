package io.eventlistener.dispatch;

/**
 * Whether a failed delivery is tried again (isimud's {@code retry_failures}:
 * {@code true}, {@code false} or {@code nil}). Attempts are bounded either way; a
 * delivery that is not tried again goes to the dead-letter queue.
 */
public enum RequeuePolicy {

	/**
	 * Try again up to the configured number of attempts.
	 */
	ALWAYS,

	/**
	 * Never try again: dead-letter after the first failure.
	 */
	NEVER,

	/**
	 * Try again while every {@link io.eventlistener.EventExceptionHandler} votes yes.
	 */
	VOTE

}
