package io.eventlistener.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.ShutdownSignalException;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.logging.KnownOutages;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.BrokerTopology.QueueDeclaration;
import io.eventlistener.registry.ObserverRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps the registry true to the broker and the database after anything was missed. After
 * every reconnect (not the first connection) it declares every observer queue and binding
 * again, in case the broker lost them, and then resynchronises the registry from the
 * database, so observers created, changed or deleted while the connection was down (whose
 * model-watcher messages went to a watcher queue that no longer existed) are applied. It
 * also resynchronises on a fixed interval. A failed resync is logged and counted against
 * the error budget; the registry keeps what it has. The work runs on the starter's shared
 * {@link TaskScheduler}, never on the connection's thread.
 */
public class RegistryRecovery implements ConnectionListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RegistryRecovery.class);

	/**
	 * One line per queue would be thousands after a reconnect that fails for all of them.
	 */
	private final RateLimitedLog declareFailures = new RateLimitedLog(logger);

	private final ObserverRegistry registry;

	private final BrokerTopology topology;

	private final ApplicationQueues applicationQueues;

	private final Runnable resync;

	private final ErrorBudget errorBudget;

	private final AtomicBoolean connectionLost = new AtomicBoolean();

	private final PeriodicTask periodicResync;

	private final TaskScheduler scheduler;

	private final Duration interval;

	private volatile boolean retryPending;

	private boolean autoStartup = true;

	private Runnable afterResync = () -> {
	};

	/**
	 * Create a new {@code RegistryRecovery}.
	 * @param registry the live registry
	 * @param topology declares queues and bindings
	 * @param eventQueues the application's own queues, declared again too
	 * @param eventsExchange the default exchange of observers and application queues
	 * @param resync reloads the active observers and applies the difference
	 * @param errorBudget counts failed resyncs
	 * @param interval how often to resync regardless
	 * @param scheduler runs the periodic resync and the recovery after a reconnect
	 */
	public RegistryRecovery(ObserverRegistry registry, BrokerTopology topology, List<EventQueueBinding> eventQueues,
			String eventsExchange, Runnable resync, ErrorBudget errorBudget, Duration interval,
			TaskScheduler scheduler) {
		this.registry = registry;
		this.topology = topology;
		this.applicationQueues = new ApplicationQueues(topology, eventsExchange, eventQueues);
		this.resync = resync;
		this.errorBudget = errorBudget;
		this.periodicResync = new PeriodicTask(scheduler, this::resync, interval, interval);
		this.scheduler = scheduler;
		this.interval = interval;
	}

	/**
	 * A connection made after one was lost is a reconnect: the broker may have lost
	 * queues and bindings with it. The first connection of each kind (the application's,
	 * its separate publisher connection) is not, so a start does not recover.
	 */
	@Override
	public void onCreate(Connection connection) {
		if (this.connectionLost.getAndSet(false)) {
			this.periodicResync.runNow(this::recover);
		}
	}

	@Override
	public void onClose(Connection connection) {
		this.connectionLost.set(true);
	}

	@Override
	public void onShutDown(ShutdownSignalException signal) {
		this.connectionLost.set(true);
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
				this.declareFailures.warn(() -> "Declaring observer queue " + queue
						+ " again after a reconnect failed: " + KnownOutages.describe(failure));
				this.errorBudget.record(failure);
			});
			this.applicationQueues.declareAll((queue) -> {
			});
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
		attempt();
	}

	private boolean attempt() {
		try {
			this.resync.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Resynchronising observers failed; the registry keeps what it has: " + ex);
			this.errorBudget.record(ex);
			return false;
		}
		this.afterResync.run();
		return true;
	}

	/**
	 * Resynchronise soon and, while that fails, again after a doubling wait (at most the
	 * resync interval) until one succeeds: a background start-up's load failed, and no
	 * reconnect may come to trigger {@link #recover()} (nothing else uses the connection
	 * yet). Waits for {@link #start()} if it has not run yet.
	 */
	public void resyncUntilSucceeded() {
		if (!isRunning()) {
			this.retryPending = true;
			return;
		}
		retryAfter(Duration.ofSeconds(1));
	}

	private void retryAfter(Duration delay) {
		try {
			this.scheduler.schedule(() -> {
				if (isRunning() && !attempt()) {
					Duration next = delay.multipliedBy(2);
					retryAfter((next.compareTo(this.interval) < 0) ? next : this.interval);
				}
			}, Instant.now().plus(delay));
		}
		catch (TaskRejectedException ex) {
			logger.debug("Not resynchronising: the scheduler is shutting down", ex);
		}
	}

	/**
	 * Finish the listener's failed background loads: a failed load is completed by
	 * resyncs until one succeeds, and every successful resync tells the listener so.
	 * @param lifecycle the listener's lifecycle
	 */
	public void finishFailedLoadsOf(EventListenerLifecycle lifecycle) {
		lifecycle.setLoadFailureHandler(this::resyncUntilSucceeded);
		setAfterResync(lifecycle::resynchronized);
	}

	/**
	 * Run this after every successful resync: the listener's lifecycle finishes a
	 * background start-up whose load had failed
	 * ({@link EventListenerLifecycle#resynchronized()}).
	 * @param afterResync what to run, on the resync's thread
	 */
	public void setAfterResync(Runnable afterResync) {
		this.afterResync = afterResync;
	}

	/**
	 * Set whether this starts with the application context.
	 * @param autoStartup {@code false} to wait for an explicit start; default
	 * {@code true}
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public void start() {
		this.periodicResync.start();
		if (this.retryPending) {
			this.retryPending = false;
			resyncUntilSucceeded();
		}
	}

	@Override
	public void stop() {
		this.periodicResync.stop();
	}

	@Override
	public boolean isRunning() {
		return this.periodicResync.isRunning();
	}

	/**
	 * Starts after the listener has registered the active observers.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE + 1;
	}

}
