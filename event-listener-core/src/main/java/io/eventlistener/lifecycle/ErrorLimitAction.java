package io.eventlistener.lifecycle;

/**
 * What happens when the error budget is exhausted. Every action stops consuming first.
 */
public enum ErrorLimitAction {

	/**
	 * Stop consuming and report the application's liveness as broken (Spring Boot's
	 * {@code LivenessState.BROKEN}), so that an orchestrator's liveness probe restarts
	 * the instance; the process itself stays up. The default.
	 */
	BROKEN,

	/**
	 * Stop consuming and exit the application with status 1, so that a supervisor
	 * restarts it (isimud's behaviour).
	 */
	EXIT,

	/**
	 * Stop consuming and stay up, reporting the listener as stopped (its health DOWN) but
	 * the application live.
	 */
	STOP

}
