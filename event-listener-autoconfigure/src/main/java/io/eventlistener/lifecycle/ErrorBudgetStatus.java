package io.eventlistener.lifecycle;

import java.time.Duration;

/**
 * A read-only view of the error budget (isimud's {@code error_limit} per
 * {@code error_interval}): how many errors the current window has counted and how many it
 * allows. The error policy implements it; metrics, health and the actuator endpoint read
 * it when a bean of this type exists.
 */
public interface ErrorBudgetStatus {

	/**
	 * Errors counted in the current window.
	 * @return the error count
	 */
	int errorsInWindow();

	/**
	 * Errors allowed per window before the listener stops.
	 * @return the limit
	 */
	int limit();

	/**
	 * The window's length.
	 * @return the interval
	 */
	Duration interval();

	/**
	 * Whether the budget ran out, which stops the listener.
	 * @return {@code true} once the window counted more errors than the limit allows
	 */
	default boolean exhausted() {
		return errorsInWindow() > limit();
	}

}
