package io.eventlistener.watch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.eventlistener.observer.ObserverKey;
import io.eventlistener.wire.ModelChange;

/**
 * A {@link ModelWatcherListener} that counts each outcome, for the tests. Declare it as a
 * bean to have it called.
 */
public class ModelWatcherCounts implements ModelWatcherListener {

	private static final String PUBLISHED = "published";

	private static final String PUBLISH_FAILED = "publish-failed";

	private static final String FAILED = "failed";

	private final Map<Object, LongAdder> counts = new ConcurrentHashMap<>();

	@Override
	public void published(ModelChange change) {
		increment(PUBLISHED);
	}

	@Override
	public void publishFailed(ModelChange change, RuntimeException failure) {
		increment(PUBLISH_FAILED);
	}

	@Override
	public void applied(ObserverKey key, ModelChangeOutcome outcome) {
		increment(outcome);
	}

	@Override
	public void rejected(ModelChangeRejection reason) {
		increment(reason);
	}

	@Override
	public void failed(ObserverKey key, RuntimeException failure) {
		increment(FAILED);
	}

	public long publishedCount() {
		return count(PUBLISHED);
	}

	public long publishFailedCount() {
		return count(PUBLISH_FAILED);
	}

	public long appliedCount(ModelChangeOutcome outcome) {
		return count(outcome);
	}

	public long rejectedCount(ModelChangeRejection reason) {
		return count(reason);
	}

	public long failedCount() {
		return count(FAILED);
	}

	private void increment(Object key) {
		this.counts.computeIfAbsent(key, (any) -> new LongAdder()).increment();
	}

	private long count(Object key) {
		LongAdder adder = this.counts.get(key);
		return (adder != null) ? adder.sum() : 0;
	}

}
