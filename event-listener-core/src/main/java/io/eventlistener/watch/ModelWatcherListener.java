package io.eventlistener.watch;

import io.eventlistener.observer.ObserverKey;
import io.eventlistener.wire.ModelChange;

/**
 * Hears what the model watcher does, for metrics and logs: what it published, and what it
 * made of every message on the watcher queue. Every method does nothing by default; they
 * run on the publishing or consuming thread and must not block. An exception a listener
 * throws is logged and otherwise ignored.
 * <p>
 * A rejected message carries only its reason: its type and id came from the wire and are
 * not to be trusted, nor used as metric tags.
 */
public interface ModelWatcherListener {

	/**
	 * A model change was published and confirmed by the broker.
	 * @param change the message
	 */
	default void published(ModelChange change) {
	}

	/**
	 * A model change could not be published (after its transaction committed).
	 * @param change the message
	 * @param failure why
	 */
	default void publishFailed(ModelChange change, RuntimeException failure) {
	}

	/**
	 * A message was accepted and the registry brought in line with the row.
	 * @param key the observer
	 * @param outcome what changed
	 */
	default void applied(ObserverKey key, ModelChangeOutcome outcome) {
	}

	/**
	 * A message was dropped as bad input.
	 * @param reason why
	 */
	default void rejected(ModelChangeRejection reason) {
	}

	/**
	 * An accepted message could not be applied, because the database or the broker
	 * failed. It is dropped; the next resynchronisation repairs what it missed.
	 * @param key the observer
	 * @param failure why
	 */
	default void failed(ObserverKey key, RuntimeException failure) {
	}

	/**
	 * The registry was resynchronised with the database.
	 * @param result what changed
	 */
	default void resynchronised(ObserverSynchronizer.Synchronization result) {
	}

	/**
	 * A resynchronisation failed; the registry keeps what it had.
	 * @param failure why
	 */
	default void resynchronisationFailed(RuntimeException failure) {
	}

	/**
	 * The broker lost the queue of a registered observer, and the listener re-read its
	 * row.
	 * @param type the observer's type name
	 * @param outcome what became of it
	 */
	default void queueLost(String type, LostQueueOutcome outcome) {
	}

}
