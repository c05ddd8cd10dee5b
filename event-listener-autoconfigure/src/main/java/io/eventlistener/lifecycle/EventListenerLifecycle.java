package io.eventlistener.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.QueueArgumentsMismatchException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the listener once the context is refreshed: starts consuming, then registers
 * every active observer of every type, declaring and binding their queues in bulks of
 * {@value #BULK} (each bulk is consumed while the next is declared), then declares and
 * consumes the application's {@link EventQueueBinding} queues. Stopping stops the
 * consumers: no new deliveries are taken, in-flight handlers finish within the
 * containers' shutdown timeout and are acknowledged, and prefetched deliveries go back to
 * their queues. A queue that exists with other arguments
 * ({@link QueueArgumentsMismatchException}) is reported and left unconsumed; start-up
 * goes on with the others.
 * <p>
 * Runs in phase {@value #PHASE}: after ordinary beans, before the embedded web server
 * takes requests, and it stops after the web server has.
 */
public class EventListenerLifecycle implements SmartLifecycle {

	/** The phase: {@code SmartLifecycle.DEFAULT_PHASE - 4096}. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	/**
	 * Observers registered in one bulk: enough for every declaring channel to pipeline a
	 * good share.
	 */
	static final int BULK = 4000;

	private static final Log logger = LogFactory.getLog(EventListenerLifecycle.class);

	private final ObserverTypes types;

	private final ActiveObserverLoader loader;

	private final ObserverRegistry registry;

	private final BrokerTopology topology;

	private final String eventsExchange;

	private final List<EventQueueBinding> eventQueues;

	private final ObserverConsumers consumers;

	private final @Nullable SmartLifecycle consumption;

	private volatile ListenerState state = ListenerState.NEW;

	/**
	 * @param types the observer types
	 * @param loader reads the active observers
	 * @param registry registers them, a page at a time
	 * @param topology declares the application's own queues
	 * @param eventsExchange the exchange those queues bind to unless they name another
	 * @param eventQueues the application's own queues
	 * @param consumers consumes the application's own queues; if it is a
	 * {@link SmartLifecycle} too, this lifecycle starts it before the observers are
	 * registered and stops it (so every consumer) when it stops
	 */
	public EventListenerLifecycle(ObserverTypes types, ActiveObserverLoader loader, ObserverRegistry registry,
			BrokerTopology topology, String eventsExchange, List<EventQueueBinding> eventQueues,
			ObserverConsumers consumers) {
		this.types = types;
		this.loader = loader;
		this.registry = registry;
		this.topology = topology;
		this.eventsExchange = eventsExchange;
		this.eventQueues = List.copyOf(eventQueues);
		this.consumers = consumers;
		this.consumption = (consumers instanceof SmartLifecycle lifecycle) ? lifecycle : null;
	}

	@Override
	public void start() {
		this.state = ListenerState.STARTING;
		// consuming first: each bulk of observers is consumed while the next is declared
		if (this.consumption != null) {
			this.consumption.start();
		}
		for (ObserverType<?> type : this.types.all()) {
			List<ObserverDefinition> bulk = new ArrayList<>(BULK);
			int count = this.loader.forEachActivePage(type, (page) -> {
				bulk.addAll(page);
				if (bulk.size() >= BULK) {
					registerAll(bulk);
				}
			});
			registerAll(bulk);
			logger.info("Registered " + count + " active " + type.name() + " observers");
		}
		for (EventQueueBinding binding : this.eventQueues) {
			try {
				this.topology.declare(binding.queueName(),
						Objects.requireNonNullElse(binding.exchange(), this.eventsExchange), binding.routingKeys(),
						binding.delivery());
			}
			catch (QueueArgumentsMismatchException ex) {
				// as for observers: the other queues are consumed, this one waits for an
				// operator
				logger.error("Application queue " + binding.queueName() + " is not consumed: " + ex.getMessage());
				continue;
			}
			this.consumers.consume(binding.queueName());
		}
		this.state = ListenerState.RUNNING;
	}

	private void registerAll(List<ObserverDefinition> bulk) {
		if (!bulk.isEmpty()) {
			this.registry.registerAll(List.copyOf(bulk));
			bulk.clear();
		}
	}

	/**
	 * Stop consuming and wait until in-flight handlers have finished (or the containers'
	 * shutdown timeout passed).
	 */
	@Override
	public void stop() {
		this.state = ListenerState.STOPPED;
		if (this.consumption != null) {
			this.consumption.stop();
		}
	}

	@Override
	public void stop(Runnable callback) {
		this.state = ListenerState.STOPPED;
		if (this.consumption != null) {
			this.consumption.stop(callback);
		}
		else {
			callback.run();
		}
	}

	@Override
	public boolean isRunning() {
		return this.state == ListenerState.STARTING || this.state == ListenerState.RUNNING;
	}

	/**
	 * The listener's state, for health reporting.
	 * @return the state
	 */
	public ListenerState state() {
		return this.state;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
