package io.eventlistener.metrics;

/**
 * The names and tags of the event listener's meters. Meters are tagged by observer type
 * and outcome, never by observer id, so their number stays bounded however many observer
 * rows there are.
 */
public final class EventListenerMeters {

	/**
	 * Counter of deliveries by {@link #TYPE} and {@link #OUTCOME}: {@value #HANDLED},
	 * {@value #FAILED} (every failed attempt), {@value #DEAD_LETTERED} or
	 * {@value #DISCARDED} (given up), {@value #MALFORMED} (not an event),
	 * {@value #REQUEUED} (the handler asked to be tried later), {@value #REJECTED} (the
	 * handler rejected it), {@value #FILTERED} (the handler's filter did not match).
	 */
	public static final String EVENTS = "event.listener.events";

	/** Timer of handler runs by {@link #TYPE} and {@link #OUTCOME} (handled, failed). */
	public static final String HANDLER_DURATION = "event.listener.handler.duration";

	/**
	 * Gauge of registered observers by {@link #TYPE}, kept by the registry's registered
	 * and unregistered events.
	 */
	public static final String OBSERVERS = "event.listener.observers";

	/**
	 * Counter of model-watcher messages by {@link #TYPE} and {@link #OUTCOME}:
	 * {@value #APPLIED}, {@value #IGNORED}, {@value #REJECTED}, {@value #COALESCED} (left
	 * to the one re-read of its key at the end of the coalescing interval).
	 */
	public static final String WATCHER_MESSAGES = "event.listener.watcher.messages";

	/** Gauge of handler errors counted in the error budget's current window. */
	public static final String ERRORS = "event.listener.errors";

	/** Gauge of the errors the error budget allows per window. */
	public static final String ERROR_LIMIT = "event.listener.errors.limit";

	/** Counter of resyncs of the registry with the database, by {@link #OUTCOME}. */
	public static final String RESYNCS = "event.listener.resyncs";

	/**
	 * Counter of observer queues the broker lost (deleted behind the listener's back), by
	 * {@link #TYPE} and {@link #OUTCOME}: {@code redeclared}, {@code unregistered} or
	 * {@code failed}.
	 */
	public static final String LOST_QUEUES = "event.listener.queues.lost";

	/**
	 * Counter of the pauses of consuming because a resource the handlers need was down.
	 */
	public static final String OUTAGE_PAUSES = "event.listener.outage.pauses";

	/** Gauge: 1 while consuming is paused by an outage, else 0. */
	public static final String OUTAGE_PAUSED = "event.listener.outage.paused";

	/** Gauge: 1 while the broker blocks this application's publishers, else 0. */
	public static final String PUBLISHER_BLOCKED = "event.listener.publisher.blocked";

	/**
	 * Counter of partition rounds by {@link #OUTCOME}: {@code unchanged},
	 * {@code rebalanced}, {@code lost-race} (another instance stored the assignment
	 * first), {@value #FAILED} (the database did not answer).
	 */
	public static final String PARTITION_ROUNDS = "event.listener.partition.rounds";

	/**
	 * Timer of this instance starting and stopping queues when its buckets change, by
	 * {@link #OUTCOME}: {@value #SUCCESS}, {@value #FAILURE}.
	 */
	public static final String PARTITION_HANDOVER = "event.listener.partition.handover";

	/**
	 * Tag: the observer's canonical type name (for an application's own queue, the
	 * queue's name).
	 */
	public static final String TYPE = "type";

	/** Tag: what happened. */
	public static final String OUTCOME = "outcome";

	/** Outcome: a model-watcher message left to the re-read of its key. */
	public static final String COALESCED = "coalesced";

	/** Outcome: the handler returned and the delivery was acknowledged. */
	public static final String HANDLED = "handled";

	/** Outcome: the handler threw. */
	public static final String FAILED = "failed";

	/** Outcome: the delivery was given up and dead-lettered. */
	public static final String DEAD_LETTERED = "dead-lettered";

	/** Outcome: the delivery was given up and discarded (dead-lettering is off). */
	public static final String DISCARDED = "discarded";

	/** Outcome: the body was not an event. */
	public static final String MALFORMED = "malformed";

	/** Outcome: the handler asked for the delivery to be tried again later. */
	public static final String REQUEUED = "requeued";

	/** Outcome: the handler's filter did not match; acknowledged unhandled. */
	public static final String FILTERED = "filtered";

	/** Outcome: the inbox had recorded the delivery as handled; not handled again. */
	public static final String DUPLICATE = "duplicate";

	/** Outcome: a model-watcher message changed the registry. */
	public static final String APPLIED = "applied";

	/** Outcome: a model-watcher message needed no change. */
	public static final String IGNORED = "ignored";

	/**
	 * Outcome: a model-watcher message was invalid and rejected; or a handler rejected a
	 * delivery, which is dead-lettered at once.
	 */
	public static final String REJECTED = "rejected";

	/** Outcome of a resync that completed. */
	public static final String SUCCESS = "success";

	/** Outcome of a resync that failed. */
	public static final String FAILURE = "failure";

	/**
	 * Type tag value when the queue is not a registered observer's (an application queue,
	 * or an observer unregistered meanwhile) for outcomes reported by queue: given up and
	 * malformed.
	 */
	public static final String UNKNOWN = "unknown";

	private EventListenerMeters() {
	}

}
