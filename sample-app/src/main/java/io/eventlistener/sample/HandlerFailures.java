package io.eventlistener.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.eventlistener.EventExceptionHandler;
import io.eventlistener.EventFailure;

import org.springframework.stereotype.Component;

/**
 * Counts the failed handler calls of each subscription in this process, for the live
 * page. The starter's meters count failures by observer type only (never by id, so that
 * their number stays bounded); the sample has few subscriptions and counts them one by
 * one. It votes for another attempt, so it never changes what the retry settings decide.
 */
@Component
class HandlerFailures implements EventExceptionHandler {

	private final Map<Long, LongAdder> failures = new ConcurrentHashMap<>();

	@Override
	public boolean handle(EventFailure failure) {
		if (failure.observer() instanceof Subscription subscription && subscription.getId() != null) {
			this.failures.computeIfAbsent(subscription.getId(), (id) -> new LongAdder()).increment();
		}
		return true;
	}

	/**
	 * Failed handler calls of a subscription since this process started, every attempt
	 * counted.
	 * @param subscriptionId the subscription
	 * @return how many
	 */
	long of(long subscriptionId) {
		LongAdder count = this.failures.get(subscriptionId);
		return (count != null) ? count.sum() : 0;
	}

}
