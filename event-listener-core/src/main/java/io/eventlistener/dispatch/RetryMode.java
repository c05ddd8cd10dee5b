package io.eventlistener.dispatch;

/**
 * Whether a failed delivery is tried again in place, with back-off (isimud's
 * {@code retry_failures}: {@code true}, {@code false} or {@code nil}). Attempts are
 * bounded either way; a delivery that is not tried again goes to the dead-letter queue.
 * Not called {@code RetryPolicy}: Spring Framework's and Spring Retry's types of that
 * name decide how often and how long, which {@code event-listener.retry.max-attempts} and
 * the back-off settings do here.
 */
public enum RetryMode {

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
