package io.eventlistener;

/**
 * Hears about every failed delivery and votes on whether it should be tried again
 * (isimud's {@code on_exception}). Declare any number as beans; every one runs, in order,
 * even after another voted no (isimud stopped at the first falsy vote), and the votes are
 * combined afterwards under {@code event-listener.retry.mode}: with {@code vote}, a
 * delivery is retried only while every handler votes yes, and never beyond the configured
 * attempts. An exception thrown here counts as a "no" vote and is logged.
 */
@FunctionalInterface
public interface EventExceptionHandler {

	/**
	 * Handle a failure, for example report it.
	 * @param failure what failed
	 * @return {@code true} to vote for another attempt
	 */
	boolean handle(EventFailure failure);

}
