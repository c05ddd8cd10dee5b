package io.eventlistener.registry;

import java.util.Set;

import io.eventlistener.EventObserver;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;

/**
 * A registered observer: the row, the queue consumed for it, and how that queue is bound.
 *
 * @param key the observer's key
 * @param type its type
 * @param observer the detached entity handed to the handler
 * @param queueName its durable queue
 * @param exchange the exchange its queue is bound to
 * @param routingKeys the queue's bindings on that exchange
 */
public record ObserverRegistration(ObserverKey key, ObserverType<?> type, EventObserver observer, String queueName,
		String exchange, Set<String> routingKeys) {

}
