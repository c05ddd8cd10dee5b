package io.eventlistener.watch;

/**
 * What became of an observer whose queue the broker lost (deleted by an operator, by
 * isimud's own update, or by another application).
 */
public enum LostQueueOutcome {

	/** Its row is still active: the queue and its bindings were declared again. */
	REDECLARED,

	/**
	 * Its row is disabled or gone: it was unregistered, and the queue not declared again.
	 */
	UNREGISTERED,

	/**
	 * The row could not be read or the queue not declared; the consumers try again with
	 * back-off until the queue exists or the row says otherwise.
	 */
	FAILED

}
