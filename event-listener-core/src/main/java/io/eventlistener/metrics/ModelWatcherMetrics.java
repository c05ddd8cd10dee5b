package io.eventlistener.metrics;

import java.util.Locale;

import io.eventlistener.observer.ObserverKey;
import io.eventlistener.watch.LostQueueOutcome;
import io.eventlistener.watch.ModelChangeOutcome;
import io.eventlistener.watch.ModelChangeRejection;
import io.eventlistener.watch.ModelWatcherListener;
import io.eventlistener.watch.ObserverSynchronizer;

/**
 * Counts model-watcher messages in {@link EventListenerMeters#WATCHER_MESSAGES}: a
 * message that changed the registry is {@code applied}, one that found it already in line
 * {@code ignored}, bad input {@code rejected} (tagged with type {@code unknown}: the wire
 * is not trusted), and one that could not be applied {@code failed}.
 */
public class ModelWatcherMetrics implements ModelWatcherListener {

	private final EventListenerMetrics metrics;

	public ModelWatcherMetrics(EventListenerMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void applied(ObserverKey key, ModelChangeOutcome outcome) {
		this.metrics.watcherMessage(key.type(), switch (outcome) {
			case UNCHANGED -> EventListenerMeters.IGNORED;
			case COALESCED -> EventListenerMeters.COALESCED;
			default -> EventListenerMeters.APPLIED;
		});
	}

	@Override
	public void rejected(ModelChangeRejection reason) {
		this.metrics.watcherMessage(EventListenerMeters.UNKNOWN, EventListenerMeters.REJECTED);
	}

	@Override
	public void failed(ObserverKey key, RuntimeException failure) {
		this.metrics.watcherMessage(key.type(), EventListenerMeters.FAILED);
	}

	@Override
	public void queueLost(String type, LostQueueOutcome outcome) {
		this.metrics.lostQueue(type, outcome.name().toLowerCase(Locale.ROOT));
	}

	@Override
	public void resynchronised(ObserverSynchronizer.Synchronization result) {
		this.metrics.resync(true);
	}

	@Override
	public void resynchronisationFailed(RuntimeException failure) {
		this.metrics.resync(false);
	}

}
