package io.eventlistener.lifecycle;

/**
 * Where the event listener is in its life, as health and the actuator endpoint report it.
 */
public enum ListenerState {

	/** The context is starting; observers are not consumed yet. */
	STARTING,

	/** Observers are registered and consumed. */
	RUNNING,

	/** Consuming has stopped (shutdown, or the error budget ran out). */
	STOPPED

}
