package io.eventlistener.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.BrokerTopology.QueueDeclaration;
import io.eventlistener.registry.ObserverRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the registry true to the broker and the database after anything was missed. After
 * every reconnect (not the first connection) it declares every observer queue and binding
 * again, in case the broker lost them, and then resynchronises the registry from the
 * database, so observers created, changed or deleted while the connection was down (whose
 * model-watcher messages went to a watcher queue that no longer existed) are applied. It
 * also resynchronises on a fixed interval. A failed resync is logged and counted against
 * the error budget; the registry keeps what it has. The work runs on a thread of its own,
 * never on the connection's.
 */
public class RegistryRecovery implements ConnectionListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RegistryRecovery.class);

	private final ObserverRegistry registry;

	private final BrokerTopology topology;

	private final List<EventQueueBinding> eventQueues;

	private final String eventsExchange;

	private final Runnable resync;

	private final ErrorBudget errorBudget;

	private final Duration interval;

	private final AtomicBoolean connectedBefore = new AtomicBoolean();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * @param registry the live registry
	 * @param topology declares queues and bindings
	 * @param eventQueues the application's own queues, declared again too
	 * @param eventsExchange the default exchange of observers and application queues
	 * @param resync reloads the active observers and applies the difference
	 * @param errorBudget counts failed resyncs
	 * @param interval how often to resync regardless
	 */
	public RegistryRecovery(ObserverRegistry registry, BrokerTopology topology, List<EventQueueBinding> eventQueues,
			String eventsExchange, Runnable resync, ErrorBudget errorBudget, Duration interval) {
		this.registry = registry;
		this.topology = topology;
		this.eventQueues = List.copyOf(eventQueues);
		this.eventsExchange = eventsExchange;
		this.resync = resync;
		this.errorBudget = errorBudget;
		this.interval = interval;
	}

	@Override
	public void onCreate(Connection connection) {
		ScheduledExecutorService executor = this.executor;
		if (this.connectedBefore.getAndSet(true) && executor != null) {
			executor.execute(this::recover);
		}
	}

	/**
	 * Declare every registered queue and binding again, then resynchronise.
	 */
	public void recover() {
		logger.info("Reconnected: declaring " + this.registry.registrations().size()
				+ " observer queues again and resynchronising from the database");
		try {
			this.topology.reset();
			// pipelined: thousands of observers are declared again in seconds
			Map<String, Exception> failures = this.topology
				.declareAll(this.registry.registrations().stream().map(QueueDeclaration::of).toList());
			failures.forEach((queue, failure) -> {
				logger.warn("Declaring observer queue " + queue + " again after a reconnect failed: " + failure);
				this.errorBudget.record(failure);
			});
			for (EventQueueBinding binding : this.eventQueues) {
				this.topology.declare(binding.queueName(),
						Objects.requireNonNullElse(binding.exchange(), this.eventsExchange), binding.routingKeys(),
						binding.delivery());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Declaring observer queues again after a reconnect failed; the next reconnect or resync "
					+ "tries again: " + ex);
			this.errorBudget.record(ex);
		}
		resync();
	}

	/**
	 * Reload the active observers and apply the difference; a failure is counted and
	 * leaves the registry as it was.
	 */
	public void resync() {
		try {
			this.resync.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Resynchronising observers failed; the registry keeps what it has: " + ex);
			this.errorBudget.record(ex);
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor((task) -> new Thread(task, "event-listener-recovery"));
		long millis = this.interval.toMillis();
		executor.scheduleWithFixedDelay(this::resync, millis, millis, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Starts after the listener has registered the active observers.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE + 1;
	}

}
