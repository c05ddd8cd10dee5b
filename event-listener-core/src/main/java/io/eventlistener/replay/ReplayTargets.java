package io.eventlistener.replay;

import java.util.function.Predicate;

import io.eventlistener.registry.ObserverRegistry;

/**
 * Where a replay may republish: the events exchange the application is configured with,
 * and the queues of the observers it has registered under its own prefix. A dead letter's
 * headers are the publisher's word (anyone on the virtual host can publish to the
 * dead-letter queue, and the broker dead-letters with the publisher's headers kept), so
 * they only choose among these targets, never add one.
 *
 * @param eventsExchange the only exchange a dead letter is replayed to
 * @param observerQueue whether a queue is one of this application's observer queues
 */
public record ReplayTargets(String eventsExchange, Predicate<String> observerQueue) {

	/**
	 * The targets of an application: its events exchange and the queues its registry
	 * holds under its prefix ({@code {prefix}.…}).
	 * @param eventsExchange the configured events exchange
	 * @param queuePrefix the application's queue prefix
	 * @param registry its observer registry
	 * @return the targets
	 */
	public static ReplayTargets of(String eventsExchange, String queuePrefix, ObserverRegistry registry) {
		String own = queuePrefix + ".";
		return new ReplayTargets(eventsExchange,
				(queue) -> queue.startsWith(own) && registry.findByQueue(queue).isPresent());
	}

	/**
	 * Whether a dead letter may be republished to a queue (through the default exchange).
	 * @param queue the queue its header names
	 * @return {@code true} for a registered observer's queue
	 */
	public boolean allowsQueue(String queue) {
		return this.observerQueue.test(queue);
	}

	/**
	 * Whether a dead letter may be republished to an exchange.
	 * @param exchange the exchange its header names
	 * @return {@code true} for the events exchange only
	 */
	public boolean allowsExchange(String exchange) {
		return this.eventsExchange.equals(exchange);
	}

}
