package io.eventlistener.lifecycle;

/**
 * What happens when the error budget is exhausted.
 */
public enum ErrorLimitAction {

	/**
	 * Stop consuming and exit the application with status 1, so that a supervisor
	 * restarts it (isimud's behaviour).
	 */
	EXIT,

	/**
	 * Stop consuming and stay up, reporting the listener as stopped (health DOWN).
	 */
	STOP

}
