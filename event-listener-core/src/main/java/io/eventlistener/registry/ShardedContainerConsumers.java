package io.eventlistener.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.util.Assert;

/**
 * Consumes observer queues with as many {@link DirectMessageListenerContainer}s (shards)
 * as they need, each on its own connection and holding at most {@code queuesPerShard}
 * queues. A queue goes to the first shard with room; a new shard is made when all are
 * full.
 * <p>
 * Why shards: a direct container opens one channel per consumer, and a connection carries
 * at most {@code channel_max} channels (2047 by default). Past that the container logs a
 * warning and retries for ever, so the surplus queues silently have no consumer. Keeping
 * each shard below the negotiated {@code channel_max}, checked when the shard is made,
 * rules that out. No thread is created per queue: deliveries run on the shards'
 * connection executors (see the {@link ShardFactory}).
 * <p>
 * Not started automatically: {@link io.eventlistener.lifecycle.EventListenerLifecycle}
 * starts it after registering the active observers, so every shard starts with its queues
 * and they begin consuming in parallel. Each shard owns its connection factory, which
 * {@link #destroy()} destroys.
 * <p>
 * With {@link ObserverContainer}s it also knows which queues have lost their consumer and
 * since when ({@link #unconsumed()}, for health), hands a queue the broker says is gone
 * to the {@link #setLostQueueHandler lost-queue handler} (which may declare it again; the
 * container then consumes it again within its restart interval), and makes
 * {@link #cancel} wait until the consumer's in-flight deliveries are done.
 */
public class ShardedContainerConsumers implements MonitoredConsumers, SmartLifecycle, DisposableBean {

	/**
	 * Channels a shard's connection keeps free beyond its queues' consumers, for a
	 * consumer being restarted while its old channel is still closing.
	 */
	public static final int SPARE_CHANNELS = 16;

	private static final Log logger = LogFactory.getLog(ShardedContainerConsumers.class);

	private final ShardFactory factory;

	private final int queuesPerShard;

	private final List<Shard> shards = new ArrayList<>();

	private final Map<String, Shard> shardByQueue = new HashMap<>();

	private final Object lock = new Object();

	private final Executor workers;

	private final Map<String, Instant> unconsumedSince = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Void>> stopping = new ConcurrentHashMap<>();

	private final Set<String> recovering = ConcurrentHashMap.newKeySet();

	private final ObserverContainer.ConsumerEvents events = new Events();

	private volatile @Nullable Consumer<String> lostQueueHandler;

	private Clock clock = Clock.systemUTC();

	private Duration cancelTimeout = Duration.ofSeconds(30);

	private volatile boolean running;

	private int phase = DEFAULT_PHASE;

	/**
	 * Create a new {@code ShardedContainerConsumers}.
	 * @param factory makes the container of each new shard, on a connection of its own
	 * @param queuesPerShard the most queues one shard consumes; must stay below the
	 * broker's {@code channel_max} less {@value #SPARE_CHANNELS}
	 */
	public ShardedContainerConsumers(ShardFactory factory, int queuesPerShard) {
		this(factory, queuesPerShard, new SimpleAsyncTaskExecutor("event-listener-shard-"));
	}

	/**
	 * Create a new {@code ShardedContainerConsumers}.
	 * @param factory makes the container of each new shard, on a connection of its own
	 * @param queuesPerShard the most queues one shard consumes; must stay below the
	 * broker's {@code channel_max} less {@value #SPARE_CHANNELS}
	 * @param workers starts and stops shards (one at a time per shard) and recovers lost
	 * queues; must not queue behind other work, as a thread per task does
	 */
	public ShardedContainerConsumers(ShardFactory factory, int queuesPerShard, Executor workers) {
		Assert.isTrue(queuesPerShard > 0, "queuesPerShard must be positive");
		this.workers = workers;
		this.factory = factory;
		this.queuesPerShard = queuesPerShard;
	}

	@Override
	public void consume(String queue) {
		submit(List.of(queue)).forEach(CompletableFuture::join);
	}

	/**
	 * Hand the queues to their shards and return; each shard consumes them on its worker.
	 */
	@Override
	public void consumeAll(Collection<String> queues) {
		submit(queues);
	}

	/**
	 * Stop consuming a queue: the consumer is cancelled and, if it was consuming, this
	 * waits (at most the {@link #setCancelTimeout cancel timeout}) until its in-flight
	 * handlers finished and its channel is closed, so every delivery it held is either
	 * acknowledged or back in the queue.
	 */
	@Override
	public void cancel(String queue) {
		CompletableFuture<Void> done;
		CompletableFuture<Void> stopped = new CompletableFuture<>();
		boolean consuming;
		synchronized (this.lock) {
			Shard shard = this.shardByQueue.remove(queue);
			if (shard == null) {
				return;
			}
			shard.queues.remove(queue);
			consuming = this.running && shard.container.isRunning() && this.unconsumedSince.remove(queue) == null;
			if (consuming) {
				this.stopping.put(queue, stopped);
			}
			done = shard.then(() -> shard.container.removeQueueNames(queue));
		}
		done.join();
		if (consuming) {
			awaitStopped(queue, stopped);
		}
	}

	private void awaitStopped(String queue, CompletableFuture<Void> stopped) {
		try {
			stopped.get(this.cancelTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("The consumer of queue " + queue + " did not stop within " + this.cancelTimeout
					+ "; its unacknowledged deliveries return to the queue when its channel closes");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// never completed exceptionally
		}
		finally {
			this.stopping.remove(queue);
		}
	}

	/**
	 * Hand every queue whose consumer the broker cancelled because the queue is gone (or
	 * that a passive declaration found missing) to a handler, on a thread of its own, one
	 * call at a time per queue.
	 * @param handler takes the queue name; it may declare the queue again
	 */
	@Override
	public void setLostQueueHandler(Consumer<String> handler) {
		this.lostQueueHandler = handler;
	}

	/**
	 * Set how long {@link #cancel} waits.
	 * @param cancelTimeout how long {@link #cancel} waits for a consumer's in-flight
	 * handlers; 30 seconds by default
	 */
	public void setCancelTimeout(Duration cancelTimeout) {
		this.cancelTimeout = cancelTimeout;
	}

	/**
	 * Set the clock.
	 * @param clock tells since when a queue has had no consumer
	 */
	public void setClock(Clock clock) {
		this.clock = clock;
	}

	/**
	 * The consumed queues that have lost their consumer, and for how long.
	 * @return how long each has been without a consumer, by queue
	 */
	@Override
	public Map<String, Duration> unconsumed() {
		Instant now = this.clock.instant();
		Map<String, Duration> result = new LinkedHashMap<>();
		this.unconsumedSince.forEach((queue, since) -> result.put(queue, Duration.between(since, now)));
		return result;
	}

	private List<CompletableFuture<Void>> submit(Collection<String> queues) {
		Map<Shard, List<String>> added = new LinkedHashMap<>();
		synchronized (this.lock) {
			for (String queue : new LinkedHashSet<>(queues)) {
				if (!this.shardByQueue.containsKey(queue)) {
					Shard shard = shardWithRoom();
					shard.queues.add(queue);
					this.shardByQueue.put(queue, shard);
					added.computeIfAbsent(shard, (key) -> new ArrayList<>()).add(queue);
				}
			}
			// one call per shard: a running container consumes them in one pass
			List<CompletableFuture<Void>> work = new ArrayList<>();
			added.forEach((shard, names) -> work
				.add(shard.then(() -> shard.container.addQueueNames(names.toArray(String[]::new)))));
			return work;
		}
	}

	/**
	 * Wait until every shard has done the work it was given.
	 */
	public void awaitShards() {
		List<CompletableFuture<Void>> tails;
		synchronized (this.lock) {
			tails = this.shards.stream().map((shard) -> shard.tail).toList();
		}
		tails.forEach((tail) -> tail.exceptionally((ex) -> null).join());
	}

	/**
	 * How many shards (containers, and so connections) there are.
	 */
	public int shardCount() {
		synchronized (this.lock) {
			return this.shards.size();
		}
	}

	/**
	 * How many queues are consumed, over all shards.
	 */
	public int queueCount() {
		synchronized (this.lock) {
			return this.shardByQueue.size();
		}
	}

	/**
	 * Start every shard. Each one connects and then consumes its queues on a thread of
	 * its own, so the shards begin consuming in parallel.
	 */
	@Override
	public void start() {
		synchronized (this.lock) {
			if (this.shards.isEmpty()) {
				// connect now, so a channel_max too small fails start-up, not the first
				// observer
				shardWithRoom();
			}
			this.running = true;
			this.shards.forEach((shard) -> shard.then(shard.container::start));
		}
		awaitShards();
	}

	@Override
	public void stop() {
		synchronized (this.lock) {
			this.running = false;
			this.shards.forEach((shard) -> shard.then(shard.container::stop));
		}
		awaitShards();
	}

	/**
	 * Stop every shard, letting in-flight deliveries finish, and run the callback once
	 * all have stopped.
	 */
	@Override
	public void stop(Runnable callback) {
		List<Shard> stopping;
		synchronized (this.lock) {
			this.running = false;
			stopping = List.copyOf(this.shards);
		}
		awaitShards();
		if (stopping.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger remaining = new AtomicInteger(stopping.size());
		stopping.forEach((shard) -> shard.container.stop(() -> {
			if (remaining.decrementAndGet() == 0) {
				callback.run();
			}
		}));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Set the phase in which the context stops it, if still running.
	 * @param phase the phase; {@code SmartLifecycle.DEFAULT_PHASE} by default
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	/**
	 * Not started with the context: the lifecycle starts it once the active observers are
	 * registered.
	 */
	@Override
	public boolean isAutoStartup() {
		return false;
	}

	@Override
	public void destroy() {
		synchronized (this.lock) {
			this.running = false;
			for (Shard shard : this.shards) {
				shard.container.destroy();
				if (shard.container.getConnectionFactory() instanceof DisposableBean connectionFactory) {
					try {
						connectionFactory.destroy();
					}
					catch (Exception ex) {
						logger.warn("Could not close the connection of consumer shard " + shard.index, ex);
					}
				}
			}
			this.shards.clear();
			this.shardByQueue.clear();
		}
		if (this.factory instanceof DisposableBean disposable) {
			try {
				disposable.destroy();
			}
			catch (Exception ex) {
				logger.warn("Could not release the consumer shards' threads", ex);
			}
		}
	}

	private Shard shardWithRoom() {
		for (Shard shard : this.shards) {
			if (shard.queues.size() < this.queuesPerShard) {
				return shard;
			}
		}
		DirectMessageListenerContainer container = this.factory.create(this.shards.size());
		if (container instanceof ObserverContainer observed) {
			observed.setConsumerEvents(this.events);
		}
		Shard shard = new Shard(this.shards.size(), container, this.workers);
		checkChannelMax(shard);
		this.shards.add(shard);
		if (this.running) {
			shard.then(shard.container::start);
		}
		logger.info("Consumer shard " + shard.index + " created (" + this.queuesPerShard + " queues at most)");
		return shard;
	}

	private void checkChannelMax(Shard shard) {
		ConnectionFactory connectionFactory = shard.container.getConnectionFactory();
		if (connectionFactory == null) {
			return;
		}
		int channelMax;
		try (Connection connection = connectionFactory.createConnection()) {
			channelMax = connection.getDelegate().getChannelMax();
		}
		catch (AmqpException ex) {
			// not reachable now: the container reconnects, and declaring will report it
			logger.debug("Could not read channel_max of consumer shard " + shard.index, ex);
			return;
		}
		if (channelMax > 0 && this.queuesPerShard > channelMax - SPARE_CHANNELS) {
			throw new ChannelMaxExceededException(this.queuesPerShard, channelMax, SPARE_CHANNELS);
		}
	}

	private final class Events implements ObserverContainer.ConsumerEvents {

		@Override
		public void consumed(String queue) {
			ShardedContainerConsumers.this.unconsumedSince.remove(queue);
		}

		@Override
		public void lost(String queue, boolean queueMissing) {
			synchronized (ShardedContainerConsumers.this.lock) {
				if (!ShardedContainerConsumers.this.shardByQueue.containsKey(queue)) {
					return;
				}
				ShardedContainerConsumers.this.unconsumedSince.putIfAbsent(queue,
						ShardedContainerConsumers.this.clock.instant());
			}
			Consumer<String> handler = ShardedContainerConsumers.this.lostQueueHandler;
			if (queueMissing && handler != null && ShardedContainerConsumers.this.recovering.add(queue)) {
				ShardedContainerConsumers.this.workers.execute(() -> {
					try {
						handler.accept(queue);
					}
					catch (RuntimeException ex) {
						logger.warn("Could not recover lost queue " + queue + ": " + ex);
					}
					finally {
						ShardedContainerConsumers.this.recovering.remove(queue);
					}
				});
			}
		}

		@Override
		public void stopped(String queue) {
			CompletableFuture<Void> stopped = ShardedContainerConsumers.this.stopping.get(queue);
			if (stopped != null) {
				stopped.complete(null);
			}
		}

	}

	/**
	 * Makes the container of a new shard. Each call returns a container on a connection
	 * factory of its own (so a connection of its own), with its message listener and
	 * settings applied; the shard owns that connection factory from then on.
	 */
	@FunctionalInterface
	public interface ShardFactory {

		/**
		 * Create the container of one shard.
		 * @param index the shard's number, from 0
		 * @return a container that is not started
		 */
		DirectMessageListenerContainer create(int index);

	}

	private static final class Shard {

		private final int index;

		private final DirectMessageListenerContainer container;

		private final Executor worker;

		private final Set<String> queues = new LinkedHashSet<>();

		/** The last work given to this shard: new work runs after it. */
		private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

		private Shard(int index, DirectMessageListenerContainer container, Executor worker) {
			this.index = index;
			this.container = container;
			this.worker = worker;
		}

		/**
		 * Run work on this shard after all work given to it before; call holding the
		 * lock.
		 */
		private CompletableFuture<Void> then(Runnable work) {
			CompletableFuture<Void> next = this.tail.exceptionally((ex) -> null).thenRunAsync(() -> {
				try {
					work.run();
				}
				catch (RuntimeException ex) {
					logger.error("Consumer shard " + this.index + " failed", ex);
					throw ex;
				}
			}, this.worker);
			this.tail = next;
			return next;
		}

	}

}
