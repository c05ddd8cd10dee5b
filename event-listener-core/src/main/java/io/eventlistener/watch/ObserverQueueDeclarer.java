package io.eventlistener.watch;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import io.eventlistener.DeliveryMode;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes an observer live at commit, as isimud's {@code after_commit create_queue}: when
 * this process commits a create, an enable or a routing-key change of an observer row,
 * its durable queue is declared and the added routing keys bound right after the database
 * commit and before the commit returns to the caller, so an event published the moment
 * {@code save} returns is routed to the queue (and waits there until the model-watcher
 * message starts its consumers). Removed keys are unbound by the watcher message, as
 * before.
 * <p>
 * A rolled-back transaction declares nothing. A broker that cannot be reached then never
 * fails the caller, whose transaction has committed: the failure is logged (rate-limited)
 * and the model-watcher message in the outbox and the next resynchronisation register the
 * observer.
 */
public class ObserverQueueDeclarer {

	private static final Log logger = LogFactory.getLog(ObserverQueueDeclarer.class);

	private final ObserverTypes types;

	private final QueueNames queueNames;

	private final String defaultExchange;

	private final BrokerTopology topology;

	private final RateLimitedLog failures = new RateLimitedLog(logger);

	/**
	 * Create a new {@code ObserverQueueDeclarer}.
	 * @param types the observer types
	 * @param queueNames names the observer queues
	 * @param defaultExchange the exchange observers bind to unless they name another
	 * @param topology declares and binds
	 */
	public ObserverQueueDeclarer(ObserverTypes types, QueueNames queueNames, String defaultExchange,
			BrokerTopology topology) {
		this.types = types;
		this.queueNames = queueNames;
		this.defaultExchange = defaultExchange;
		this.topology = topology;
	}

	/**
	 * What to declare after a committed change of an observer row.
	 * @param type the row's canonical type name
	 * @param id the row's id
	 * @param before the row before the change, or {@code null} for a create or when
	 * Hibernate does not know it
	 * @param after the row after the change
	 * @return the declaration to run once committed, or {@code null} when the row is
	 * disabled or its bindings did not grow
	 */
	@Nullable Runnable declaration(String type, Object id, @Nullable ObserverState before, ObserverState after) {
		ObserverType<?> observerType = this.types.find(type).orElse(null);
		if (observerType == null || !after.enabled()) {
			return null;
		}
		String exchange = exchange(after);
		Set<String> keys = new HashSet<>(after.routingKeys());
		if (before != null && before.enabled() && exchange.equals(exchange(before))) {
			keys.removeAll(before.routingKeys());
			if (keys.isEmpty()) {
				return null;
			}
		}
		String queue = this.queueNames.observerQueue(observerType, id);
		return () -> declare(queue, exchange, keys, observerType.delivery());
	}

	private void declare(String queue, String exchange, Set<String> keys, DeliveryMode delivery) {
		try {
			this.topology.declare(queue, exchange, keys, delivery);
			if (logger.isDebugEnabled()) {
				logger.debug("Declared observer queue " + queue + " at commit, bound with " + keys);
			}
		}
		catch (RuntimeException ex) {
			this.failures.warn(() -> "Could not declare observer queue " + queue + " at commit (" + ex
					+ "); the model-watcher message and the next resync register it");
		}
	}

	private String exchange(ObserverState observer) {
		return Objects.requireNonNullElse(observer.exchange(), this.defaultExchange);
	}

}
