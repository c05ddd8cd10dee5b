package io.eventlistener.subscription;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import io.eventlistener.Event;
import io.eventlistener.EventSubscription;
import io.eventlistener.EventSubscription.Reason;

/**
 * A {@link Flow.Subscriber} that requests nothing by itself and records what it gets, and
 * the subscription's {@link EventSubscription#end() end} as {@code onComplete} saw it.
 */
final class RecordingSubscriber implements Flow.Subscriber<Event> {

	final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

	final List<Event> events = new CopyOnWriteArrayList<>();

	final AtomicReference<Throwable> error = new AtomicReference<>();

	final AtomicReference<Reason> completedWith = new AtomicReference<>();

	private final EventSubscription owner;

	RecordingSubscriber(EventSubscription owner) {
		this.owner = owner;
	}

	void request(long n) {
		this.subscription.get().request(n);
	}

	List<String> ids() {
		return this.events.stream().map(Event::eventfulId).toList();
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription.set(subscription);
	}

	@Override
	public void onNext(Event item) {
		this.events.add(item);
	}

	@Override
	public void onError(Throwable throwable) {
		this.error.set(throwable);
	}

	@Override
	public void onComplete() {
		EventSubscription.End end = this.owner.end();
		this.completedWith.set((end != null) ? end.reason() : null);
	}

}
