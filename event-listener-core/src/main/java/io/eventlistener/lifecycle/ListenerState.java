package io.eventlistener.lifecycle;

/**
 * Where the event listener is in its life.
 */
public enum ListenerState {

	/** Created, not started yet. */
	NEW,

	/** Registering observers. */
	STARTING,

	/** Consuming. */
	RUNNING,

	/** Not consuming: stopped by the context or by the error budget. */
	STOPPED

}
