package io.eventlistener.watch;

/**
 * What applying an accepted model-watcher message (or one row of a resynchronisation) did
 * to the observer registry. The row was re-read from the database; this is how the
 * registry was brought in line with it.
 */
public enum ModelChangeOutcome {

	/**
	 * The row is active and was not registered: its queue is now declared, bound and
	 * consumed.
	 */
	REGISTERED,

	/**
	 * The row is active and registered, and its bindings were changed to its routing
	 * keys.
	 */
	UPDATED,

	/**
	 * The row is disabled (its queue kept) or gone (its queue deleted, unless configured
	 * otherwise), and it is no longer consumed.
	 */
	UNREGISTERED,

	/** The registry already matched the row: nothing to do (a repeat, or a spoof). */
	UNCHANGED,

	/**
	 * The key's row was read moments ago: this message is left to the one re-read at the
	 * end of the coalescing interval (a burst, or a flood of spoofs, for one key).
	 */
	COALESCED

}
