package io.eventlistener.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.eventlistener.logging.KnownOutages;
import io.eventlistener.logging.ListenerNotifier;
import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology.QueueDeclaration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link ObserverRegistry}. Changes are serialized by one lock (they are rare
 * and each talks to the broker); look-ups by queue on the delivery path read a concurrent
 * map without locking.
 * <p>
 * Unlike isimud, a changed observer is never re-created: the difference between its old
 * and new routing keys is applied to its existing queue, so waiting messages stay and the
 * consumer keeps running.
 * <p>
 * {@link #unregister} stops dispatching to the observer first (what its consumer still
 * holds is returned to the queue, quietly), then cancels the consumer and waits for the
 * handler running at that moment, and only then drops the registration and unbinds or
 * deletes the queue.
 * <p>
 * {@link #registerAll} declares the new observers' queues in one pipelined bulk
 * declaration and hands them to the consumers together, so thousands of observers start
 * in seconds rather than minutes.
 * <p>
 * An observer whose queue exists with other arguments (the queue settings changed across
 * a deploy) is not registered and is remembered as {@link #refused() refused}, with one
 * log line that names its queue and the fix; the others are registered as usual, and the
 * next resync tries it again. Any other refusal fails {@link #registerAll} with an
 * {@link ObserverRegistrationException}, after the others were registered.
 */
public class DefaultObserverRegistry implements ObserverRegistry {

	private static final Log logger = LogFactory.getLog(DefaultObserverRegistry.class);

	/** Refused observers logged one by one. */
	private static final int REFUSALS_LOGGED = 10;

	private final QueueNames queueNames;

	private final String defaultExchange;

	private final BrokerTopology topology;

	private final ObserverConsumers consumers;

	private final ListenerNotifier<ObserverRegistryListener> listeners;

	private final Map<ObserverKey, ObserverRegistration> byKey = new ConcurrentHashMap<>();

	private final Map<String, ObserverRegistration> byQueue = new ConcurrentHashMap<>();

	private final Map<ObserverKey, String> refused = new ConcurrentHashMap<>();

	private final Object lock = new Object();

	/**
	 * Create a new {@code DefaultObserverRegistry}.
	 * @param queueNames names the observer queues
	 * @param defaultExchange the exchange observers bind to unless they name another
	 * @param topology declares and binds queues
	 * @param consumers consumes queues
	 * @param listeners hear about every change; one that throws is logged and skipped,
	 * the change stands
	 */
	public DefaultObserverRegistry(QueueNames queueNames, String defaultExchange, BrokerTopology topology,
			ObserverConsumers consumers, List<ObserverRegistryListener> listeners) {
		this.queueNames = queueNames;
		this.defaultExchange = defaultExchange;
		this.topology = topology;
		this.consumers = consumers;
		this.listeners = new ListenerNotifier<>("ObserverRegistryListener", listeners, logger);
	}

	@Override
	public ObserverRegistration register(ObserverDefinition definition) {
		ObserverRegistration current = registration(definition);
		synchronized (this.lock) {
			ObserverRegistration previous = this.byKey.get(current.key());
			if (previous == null) {
				try {
					this.topology.declare(current.queueName(), current.exchange(), current.routingKeys(),
							current.type().delivery());
				}
				catch (QueueArgumentsMismatchException ex) {
					refuse(current, ex);
					throw ex;
				}
				store(current);
				this.consumers.consume(current.queueName());
				logger.info("Registered observer " + current.key() + " on queue " + current.queueName() + " with "
						+ current.routingKeys());
				this.listeners.notify((listener) -> listener.registered(current));
			}
			else {
				rebind(previous, current);
				store(current);
				if (!previous.routingKeys().equals(current.routingKeys())
						|| !previous.exchange().equals(current.exchange())) {
					logger.info("Rebound observer " + current.key() + " from " + previous.routingKeys() + " to "
							+ current.routingKeys());
					this.listeners.notify((listener) -> listener.rebound(previous, current));
				}
			}
			return current;
		}
	}

	@Override
	public List<ObserverRegistration> registerAll(Collection<ObserverDefinition> definitions) {
		List<ObserverRegistration> result = new ArrayList<>(definitions.size());
		Map<ObserverKey, Exception> failures = new LinkedHashMap<>();
		synchronized (this.lock) {
			Map<String, ObserverRegistration> added = new LinkedHashMap<>();
			for (ObserverDefinition definition : definitions) {
				ObserverRegistration current = registration(definition);
				if (this.byKey.containsKey(current.key())) {
					result.add(register(definition));
				}
				else {
					added.put(current.queueName(), current);
				}
			}
			Map<String, Exception> refused = this.topology
				.declareAll(added.values().stream().map(QueueDeclaration::of).toList());
			refused.forEach((queue, failure) -> {
				ObserverRegistration registration = added.remove(queue);
				if (failure instanceof QueueArgumentsMismatchException mismatch) {
					refuse(registration, mismatch);
				}
				else {
					failures.put(registration.key(), failure);
				}
			});
			added.values().forEach(this::store);
			this.consumers.consumeAll(added.keySet());
			for (ObserverRegistration registration : added.values()) {
				result.add(registration);
				this.listeners.notify((listener) -> listener.registered(registration));
			}
			int notRegistered = refused.size();
			logger.info("Registered " + added.size() + " observers in bulk"
					+ ((notRegistered == 0) ? "" : "; " + notRegistered + " failed"));
		}
		if (!failures.isEmpty()) {
			logFailures(failures);
			throw new ObserverRegistrationException(failures);
		}
		return result;
	}

	/**
	 * One line, without a stack trace, for the observers an outage kept from registering
	 * (the caller tries again); one with its stack trace for each other failure.
	 */
	private static void logFailures(Map<ObserverKey, Exception> failures) {
		List<ObserverKey> outages = new ArrayList<>();
		@Nullable Exception outage = null;
		for (Map.Entry<ObserverKey, Exception> failure : failures.entrySet()) {
			if (KnownOutages.isOutage(failure.getValue())) {
				outages.add(failure.getKey());
				outage = failure.getValue();
			}
			else {
				logger.error("Could not register observer " + failure.getKey(), failure.getValue());
			}
		}
		if (outage != null) {
			logger.warn("Could not register " + outages.size() + " observer(s) "
					+ ((outages.size() <= 5) ? outages : outages.subList(0, 5) + " and more") + ": "
					+ KnownOutages.describe(outage));
		}
	}

	@Override
	public Optional<ObserverRegistration> unregister(ObserverKey key, QueueRetention retention) {
		synchronized (this.lock) {
			ObserverRegistration registration = this.byKey.get(key);
			this.refused.remove(key);
			if (registration == null) {
				return Optional.empty();
			}
			// deliveries the consumer still has go back to the queue from here on, the
			// handler running now finishes, and only then is the observer dropped
			this.byQueue.remove(registration.queueName());
			this.consumers.cancel(registration.queueName());
			this.byKey.remove(key);
			try {
				if (retention == QueueRetention.DELETE) {
					this.topology.delete(registration.queueName());
				}
				else {
					this.topology.unbind(registration.queueName(), registration.exchange(), registration.routingKeys());
				}
			}
			catch (RuntimeException ex) {
				logger.error("Unregistered observer " + key + ", but its queue " + registration.queueName()
						+ " could not be " + ((retention == QueueRetention.DELETE) ? "deleted" : "unbound")
						+ "; it stays on the broker: " + ex);
				throw ex;
			}
			logger.info("Unregistered observer " + key + " (" + retention + " queue " + registration.queueName() + ")");
			this.listeners.notify((listener) -> listener.unregistered(registration, retention));
			return Optional.of(registration);
		}
	}

	@Override
	public Optional<ObserverRegistration> find(ObserverKey key) {
		return Optional.ofNullable(this.byKey.get(key));
	}

	@Override
	public Optional<ObserverRegistration> findByQueue(String queueName) {
		return Optional.ofNullable(this.byQueue.get(queueName));
	}

	@Override
	public Collection<ObserverRegistration> registrations() {
		return List.copyOf(this.byKey.values());
	}

	@Override
	public Map<ObserverKey, String> refused() {
		return Map.copyOf(this.refused);
	}

	private ObserverRegistration registration(ObserverDefinition definition) {
		String exchange = Objects.requireNonNullElse(definition.observedExchange(), this.defaultExchange);
		return new ObserverRegistration(definition.key(), definition.type(), definition.observer(),
				this.queueNames.observerQueue(definition.type(), definition.id()), exchange, definition.routingKeys());
	}

	private void rebind(ObserverRegistration previous, ObserverRegistration current) {
		String queue = current.queueName();
		if (!previous.exchange().equals(current.exchange())) {
			this.topology.bind(queue, current.exchange(), current.routingKeys());
			this.topology.unbind(queue, previous.exchange(), previous.routingKeys());
			return;
		}
		// bind before unbinding, so a key kept in both never misses a message
		this.topology.bind(queue, current.exchange(), difference(current.routingKeys(), previous.routingKeys()));
		this.topology.unbind(queue, previous.exchange(), difference(previous.routingKeys(), current.routingKeys()));
	}

	private void store(ObserverRegistration registration) {
		this.refused.remove(registration.key());
		this.byKey.put(registration.key(), registration);
		this.byQueue.put(registration.queueName(), registration);
	}

	/**
	 * Remember an observer whose queue disagrees, logging it once: the resync retries it
	 * every interval, and an operator must act, so it is neither repeated nor a stack
	 * trace. A type change across a deploy refuses every queue at once: past
	 * {@value #REFUSALS_LOGGED} only the count is logged.
	 */
	private void refuse(ObserverRegistration registration, QueueArgumentsMismatchException mismatch) {
		if (this.refused.put(registration.key(), registration.queueName()) != null) {
			return;
		}
		int refusals = this.refused.size();
		if (refusals <= REFUSALS_LOGGED) {
			logger.error("Observer " + registration.key() + " is not consumed: " + mismatch.getMessage());
		}
		else if (refusals == REFUSALS_LOGGED + 1) {
			logger.error("More observer queues exist with other arguments and are not consumed; not logging each "
					+ "one (ObserverRegistry.refused() and the health details list them)");
		}
	}

	private static Set<String> difference(Set<String> left, Set<String> right) {
		Set<String> result = new HashSet<>(left);
		result.removeAll(right);
		return result;
	}

}
