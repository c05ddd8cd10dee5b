package io.eventlistener.registry;

/**
 * What happens to an observer's queue when it is unregistered.
 */
public enum QueueRetention {

	/**
	 * Unbind the queue but keep it with the messages waiting in it, for an observer that
	 * is disabled and may come back.
	 */
	KEEP,

	/**
	 * Delete the queue and the messages in it, for an observer whose row is gone.
	 */
	DELETE

}
