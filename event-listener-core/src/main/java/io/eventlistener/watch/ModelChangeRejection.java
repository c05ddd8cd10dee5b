package io.eventlistener.watch;

/**
 * Why a model-watcher message was dropped without being applied. Every rejected message
 * is logged once with its reason and acknowledged: it is never requeued, never loads a
 * class, and never counts toward the handler error budget.
 */
public enum ModelChangeRejection {

	/** The body is larger than {@code event-listener.watcher.max-payload-size}. */
	OVERSIZED,

	/** The body is not a JSON object, a field is of the wrong kind, or one is missing. */
	MALFORMED,

	/** The payload's schema, type or action disagrees with the routing key. */
	ROUTING_KEY_MISMATCH,

	/** The payload's schema is not this application's. */
	SCHEMA_MISMATCH,

	/** The action is not {@code create}, {@code update} or {@code destroy}. */
	UNKNOWN_ACTION,

	/** The type is not an observer type of this application (the allow-list). */
	UNKNOWN_TYPE,

	/** The id is not a valid id of the observer type. */
	BAD_ID

}
