package io.eventlistener.lifecycle;

import java.util.List;
import java.util.Objects;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the listener once the context is refreshed: registers every active observer of
 * every type (declaring and binding its queue), declares the application's
 * {@link EventQueueBinding} queues, then starts the container that consumes them all.
 * Stopping stops the container: no new deliveries are taken, in-flight handlers finish
 * within the container's shutdown timeout and are acknowledged, and prefetched deliveries
 * go back to their queues.
 * <p>
 * Runs in phase {@value #PHASE}: after ordinary beans, before the embedded web server
 * takes requests, and it stops after the web server has.
 */
public class EventListenerLifecycle implements SmartLifecycle {

	/** The phase: {@code SmartLifecycle.DEFAULT_PHASE - 4096}. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(EventListenerLifecycle.class);

	private final ObserverTypes types;

	private final ActiveObserverLoader loader;

	private final ObserverRegistry registry;

	private final BrokerTopology topology;

	private final String eventsExchange;

	private final List<EventQueueBinding> eventQueues;

	private final ObserverConsumers consumers;

	private final AbstractMessageListenerContainer container;

	private volatile ListenerState state = ListenerState.NEW;

	public EventListenerLifecycle(ObserverTypes types, ActiveObserverLoader loader, ObserverRegistry registry,
			BrokerTopology topology, String eventsExchange, List<EventQueueBinding> eventQueues,
			ObserverConsumers consumers, AbstractMessageListenerContainer container) {
		this.types = types;
		this.loader = loader;
		this.registry = registry;
		this.topology = topology;
		this.eventsExchange = eventsExchange;
		this.eventQueues = List.copyOf(eventQueues);
		this.consumers = consumers;
		this.container = container;
	}

	@Override
	public void start() {
		this.state = ListenerState.STARTING;
		for (ObserverType<?> type : this.types.all()) {
			int count = this.loader.forEachActive(type, this.registry::register);
			logger.info("Registered " + count + " active " + type.name() + " observers");
		}
		for (EventQueueBinding binding : this.eventQueues) {
			this.topology.declare(binding.queueName(),
					Objects.requireNonNullElse(binding.exchange(), this.eventsExchange), binding.routingKeys());
			this.consumers.consume(binding.queueName());
		}
		this.container.start();
		this.state = ListenerState.RUNNING;
	}

	/**
	 * Stop consuming and wait until in-flight handlers have finished (or the container's
	 * shutdown timeout passed).
	 */
	@Override
	public void stop() {
		this.state = ListenerState.STOPPED;
		this.container.stop();
	}

	@Override
	public void stop(Runnable callback) {
		this.state = ListenerState.STOPPED;
		this.container.stop(callback);
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
