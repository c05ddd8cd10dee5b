package io.eventlistener;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * An open subscription to events by routing keys, from
 * {@link EventSubscriptions#subscribe(String...)}. Events wait in a bounded buffer of its
 * own, so a slow reader never holds up other subscriptions or the observers; when the
 * buffer is full the configured overflow policy applies (drop the oldest event and count
 * it, or end the subscription with {@link Reason#OVERFLOW}).
 * <p>
 * Read it one way: as a blocking {@link #iterator()} (or {@link #poll(Duration)}), or
 * through {@link #publisher()} with back-pressure. It ends, and both ways complete, when
 * it is {@link #close() closed}, when the application shuts down (the final signal:
 * {@link #end()} is {@link Reason#SHUTDOWN} before the iterator ends or
 * {@code onComplete} is called, after what was buffered is delivered), or on overflow.
 */
public interface EventSubscription extends AutoCloseable, Iterable<Event> {

	/**
	 * The routing keys it was opened with.
	 * @return the routing keys
	 */
	List<String> routingKeys();

	/**
	 * The events as a blocking iterator: {@code hasNext()} waits for the next event and
	 * answers {@code false} once the subscription has ended and its buffer is empty (or
	 * when the waiting thread is interrupted, whose interrupt status is then set).
	 * @return the iterator
	 * @throws IllegalStateException if {@link #publisher()} was used
	 */
	@Override
	Iterator<Event> iterator();

	/**
	 * Wait for the next event.
	 * @param timeout how long to wait
	 * @return the event, or {@code null} if none came in time or the subscription ended
	 * @throws InterruptedException if interrupted while waiting
	 * @throws IllegalStateException if {@link #publisher()} was used
	 */
	@Nullable Event poll(Duration timeout) throws InterruptedException;

	/**
	 * The events as a reactive-streams publisher for one subscriber, which gets no more
	 * than it {@link Flow.Subscription#request(long) requested}; {@code onNext} runs on
	 * the application's task executor. It completes when the subscription ends, with
	 * {@code onError(}{@link EventSubscriptionOverflowException}{@code )} on overflow;
	 * cancelling closes the subscription.
	 * @return the publisher
	 * @throws IllegalStateException if the iterator or {@link #poll(Duration)} was used
	 */
	Flow.Publisher<Event> publisher();

	/**
	 * Why the subscription ended.
	 * @return the end, or {@code null} while it is open
	 */
	@Nullable End end();

	/**
	 * How many events were dropped from this subscription's full buffer.
	 * @return the count
	 */
	long dropped();

	/**
	 * Unsubscribe: no more events are delivered, and what is buffered is discarded.
	 * Idempotent.
	 */
	@Override
	void close();

	/**
	 * Why a subscription ended.
	 *
	 * @param reason the reason
	 * @param message a sentence for a log or a client
	 */
	record End(Reason reason, String message) {
	}

	/**
	 * The reasons a subscription ends.
	 */
	enum Reason {

		/** It was closed (or its publisher's subscriber cancelled). */
		CLOSED,

		/**
		 * The application is shutting down: the final signal every open subscription
		 * gets, as osctld's {@code :osctld_shutdown}.
		 */
		SHUTDOWN,

		/** Its buffer was full and the overflow policy is to cancel. */
		OVERFLOW

	}

}
