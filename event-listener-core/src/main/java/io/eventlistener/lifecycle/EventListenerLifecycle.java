package io.eventlistener.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

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

import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the listener once the context is refreshed: starts consuming, then registers
 * every active observer of every type, declaring and binding their queues in bulks of
 * {@value #BULK} (each bulk is consumed while the next is declared), then declares and
 * consumes the application's {@link EventQueueBinding} queues. Stopping stops the
 * consumers: no new deliveries are taken, in-flight handlers finish within the consumers'
 * shutdown timeout and are acknowledged, and prefetched deliveries go back to their
 * queues. A queue that exists with other arguments
 * ({@link QueueArgumentsMismatchException}) is reported and left unconsumed; start-up
 * goes on with the others.
 * <p>
 * Runs in phase {@value #PHASE}: after ordinary beans, before the embedded web server
 * takes requests, and it stops after the web server has.
 * <p>
 * With a {@link #setBackground background executor} ({@link StartupMode#BACKGROUND})
 * {@link #start()} returns once the consumers run, and the observers are read, declared
 * and consumed on that executor's thread; {@link #state()} stays
 * {@link ListenerState#STARTING} with {@link #registered()} of {@link #total()} until all
 * are, then the {@link #consumeAfterLoad} consumers start (the model watcher's, so no
 * change is applied before the load it would be overwritten by). A failed background load
 * is logged once and left to {@link RegistryRecovery}: its next successful resync
 * registers the rest and calls {@link #resynchronized()}. Stopping during the load ends
 * it after the bulk in progress.
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

	private final ApplicationQueues applicationQueues;

	private final ObserverConsumers consumers;

	private final @Nullable SmartLifecycle consumption;

	/** How long stopping waits for a background load to finish its bulk. */
	private static final Duration LOAD_STOP_TIMEOUT = Duration.ofSeconds(30);

	private volatile ListenerState state = ListenerState.NEW;

	private boolean autoStartup = true;

	private @Nullable Executor background;

	private final List<Lifecycle> afterLoad = new CopyOnWriteArrayList<>();

	private volatile int registered;

	private volatile int total;

	private volatile boolean stopping;

	private volatile boolean loadFailed;

	private volatile CountDownLatch loading = new CountDownLatch(0);

	private Runnable loadFailureHandler = () -> {
	};

	/**
	 * Create a new {@code EventListenerLifecycle}.
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
		this.applicationQueues = new ApplicationQueues(topology, eventsExchange, eventQueues);
		this.consumers = consumers;
		this.consumption = (consumers instanceof SmartLifecycle lifecycle) ? lifecycle : null;
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

	/**
	 * Load the observers on this executor, not in {@link #start()}
	 * ({@link StartupMode#BACKGROUND}).
	 * @param background runs the load, once per start; {@code null} loads in
	 * {@code start()} (the default)
	 */
	public void setBackground(@Nullable Executor background) {
		this.background = background;
	}

	/**
	 * Have a consumer whose changes the observers' load must not overwrite (the model
	 * watcher's) run with this listener: started once the active observers are loaded (at
	 * the end of a blocking {@link #start()}, or when a background load has finished),
	 * and stopped first when this listener stops, so that no change is applied to a
	 * stopping registry.
	 * @param consumer the consumer, not started yet
	 */
	public void consumeAfterLoad(Lifecycle consumer) {
		this.afterLoad.add(consumer);
	}

	/**
	 * Run this once when a background load failed, to have the rest registered.
	 * @param loadFailureHandler typically {@link RegistryRecovery#resyncUntilSucceeded()}
	 */
	public void setLoadFailureHandler(Runnable loadFailureHandler) {
		this.loadFailureHandler = loadFailureHandler;
	}

	@Override
	public void start() {
		this.stopping = false;
		this.loadFailed = false;
		this.registered = 0;
		this.total = 0;
		this.state = ListenerState.STARTING;
		// consuming first: each bulk of observers is consumed while the next is declared
		if (this.consumption != null) {
			this.consumption.start();
		}
		Executor executor = this.background;
		if (executor == null) {
			load();
			this.state = ListenerState.RUNNING;
			this.afterLoad.forEach(Lifecycle::start);
			return;
		}
		CountDownLatch done = new CountDownLatch(1);
		this.loading = done;
		executor.execute(() -> {
			try {
				loadInBackground();
			}
			finally {
				done.countDown();
			}
		});
	}

	private void loadInBackground() {
		try {
			load();
			loaded();
		}
		catch (LoadStopped ex) {
			logger.info("Stopped while loading observers: " + this.registered + " of " + this.total + " registered");
		}
		catch (RuntimeException ex) {
			if (this.stopping) {
				return;
			}
			this.loadFailed = true;
			// one line: the recovery after the reconnect (or the periodic resync) retries
			logger.error("Loading the active observers in the background failed with " + this.registered + " of "
					+ this.total + " registered; resynchronising until one succeeds registers the rest: " + ex);
			this.loadFailureHandler.run();
		}
	}

	/**
	 * Read every active observer first (so health can say how many there are), then
	 * declare and consume them in bulks.
	 */
	private void load() {
		List<List<ObserverDefinition>> bulks = new ArrayList<>();
		int all = 0;
		for (ObserverType<?> type : this.types.all()) {
			List<ObserverDefinition> bulk = new ArrayList<>(BULK);
			bulks.add(bulk);
			all += this.loader.forEachActivePage(type, (page) -> {
				checkNotStopping();
				for (ObserverDefinition definition : page) {
					if (bulks.get(bulks.size() - 1).size() >= BULK) {
						bulks.add(new ArrayList<>(BULK));
					}
					bulks.get(bulks.size() - 1).add(definition);
				}
			});
		}
		this.total = all;
		for (List<ObserverDefinition> bulk : bulks) {
			checkNotStopping();
			if (!bulk.isEmpty()) {
				this.registry.registerAll(bulk);
				this.registered += bulk.size();
			}
		}
		logger.info("Registered " + all + " active observers");
		checkNotStopping();
		this.applicationQueues.declareAll(this.consumers::consume);
	}

	private void checkNotStopping() {
		if (this.stopping) {
			throw new LoadStopped();
		}
	}

	private synchronized void loaded() {
		if (this.state != ListenerState.STARTING) {
			return;
		}
		this.state = ListenerState.RUNNING;
		this.afterLoad.forEach(Lifecycle::start);
	}

	/**
	 * Called after a resync succeeded: if a background load had failed, the resync has
	 * registered the active observers, so the application's queues are consumed and the
	 * listener is running.
	 */
	public void resynchronized() {
		if (!this.loadFailed || this.state != ListenerState.STARTING) {
			return;
		}
		try {
			this.applicationQueues.declareAll(this.consumers::consume);
		}
		catch (RuntimeException ex) {
			logger
				.warn("Consuming the application's queues after the resync failed; the next resync tries again: " + ex);
			return;
		}
		this.loadFailed = false;
		this.registered = this.total;
		logger.info("The resync registered the observers the background load had not");
		loaded();
	}

	/**
	 * Stop consuming and wait until in-flight handlers have finished (or the consumers'
	 * shutdown timeout passed).
	 */
	@Override
	public void stop() {
		stopLoading();
		this.afterLoad.forEach(Lifecycle::stop);
		if (this.consumption != null) {
			this.consumption.stop();
		}
	}

	@Override
	public void stop(Runnable callback) {
		stopLoading();
		this.afterLoad.forEach(Lifecycle::stop);
		if (this.consumption != null) {
			this.consumption.stop(callback);
		}
		else {
			callback.run();
		}
	}

	/**
	 * End a background load after its bulk in progress, before the consumers stop.
	 */
	private void stopLoading() {
		this.stopping = true;
		synchronized (this) {
			this.state = ListenerState.STOPPED;
		}
		try {
			if (!this.loading.await(LOAD_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("The background load of observers did not end within " + LOAD_STOP_TIMEOUT
						+ "; stopping the consumers anyway");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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

	/**
	 * How many of the active observers read at start-up are registered so far.
	 * @return the count; {@link #total()} once running
	 */
	public int registered() {
		return this.registered;
	}

	/**
	 * How many active observers start-up read; known once they are all read.
	 * @return the count, 0 before
	 */
	public int total() {
		return this.total;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Ends a background load when the listener stops.
	 */
	private static final class LoadStopped extends RuntimeException {

		LoadStopped() {
			super(null, null, false, false);
		}

	}

}
