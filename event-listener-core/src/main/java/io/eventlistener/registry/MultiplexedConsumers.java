package io.eventlistener.registry;

import java.io.IOException;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.eventlistener.logging.KnownOutages;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.listener.support.ContainerUtils;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;

/**
 * Consumes observer queues with many consumers per channel ({@code basic.consume} as
 * often as a channel allows; prefetch is per consumer), at most
 * {@code channelsPerConnection} channels per connection, and one shared pool of handler
 * threads: no thread and no channel per observer. Spring AMQP's containers cannot do this
 * (each consumer of a direct container owns a channel), so it is written on the RabbitMQ
 * client, beneath Spring's {@link ConnectionFactory}.
 * <p>
 * The contract is a listener container's: each delivery is handed to the {@link Listener}
 * (the delivery pipeline: the event dispatcher, retries in place, the dead-letter
 * recoverer), one delivery at a time per queue, and is acknowledged only after it
 * returned ({@link ChannelAcks}, in batches if asked). What the listener throws is
 * rejected, requeued or not as a container decides
 * ({@link ContainerUtils#shouldRequeue}). With {@link #setBatching batching}, the
 * deliveries it assigns to a batch are held unacknowledged until their batch was handled,
 * and handed to the listener one by one if it failed.
 * <p>
 * Stopping cancels every consumer, lets in-flight handlers finish (at most the shutdown
 * timeout), acknowledges them, and closes the channels, which returns every prefetched
 * delivery. Ordered queues' consumers (prefetch 1, single active consumer) are on
 * channels of their own and are never cancelled: they leave with their channel, which
 * hands their queues on with what they held first. A channel or connection that closes
 * under it is opened again and its consumers re-created, every restart interval until
 * that works. A consumer the broker cancels (its queue deleted), or whose queue consuming
 * or a passive declaration finds missing, is reported to the {@link #setLostQueueHandler
 * lost-queue handler} again and again, with back-off, until a passive declaration finds
 * its queue, and then consumed at once.
 */
public class MultiplexedConsumers implements MonitoredConsumers, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(MultiplexedConsumers.class);

	/**
	 * Spare channels on each consumer connection: the channels past
	 * {@code channel_max - SPARE_CHANNELS} are refused.
	 */
	public static final int SPARE_CHANNELS = 16;

	/** A consume that fails, per queue and restart, while the broker is unreachable. */
	private final RateLimitedLog consumeFailures = new RateLimitedLog(logger);

	private final RateLimitedLog returnedAtStop = new RateLimitedLog(LogFactory.getLog(ObserverConsumers.class));

	private static final int NOT_FOUND = 404;

	/** First wait before a missing queue is handed to the lost-queue handler again. */
	static final Duration RECOVERY_FIRST_WAIT = Duration.ofMillis(50);

	/**
	 * Longest wait between two tries at declaring a missing queue again: while they go on
	 * the restart timer leaves the queue to them, so a queue declared by someone else
	 * meanwhile (a resync) is consumed at most this long after; each failed try costs the
	 * broker an error log line.
	 */
	static final Duration RECOVERY_LONGEST_WAIT = Duration.ofSeconds(5);

	/**
	 * Deliveries of one queue handled in a row before its thread goes to another queue.
	 */
	private static final int DRAIN_RUN = 32;

	private final IntFunction<ConnectionFactory> connectionFactories;

	private final Supplier<Listener> listener;

	private final Settings settings;

	private final Object lock = new Object();

	private final List<ConnectionFactory> connections = new ArrayList<>();

	private final List<Slot> slots = new ArrayList<>();

	private final Map<String, QueueConsumer> consumers = new HashMap<>();

	private final Map<String, Instant> unconsumedSince = new ConcurrentHashMap<>();

	private final Set<String> recovering = ConcurrentHashMap.newKeySet();

	private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

	private final Executor handlers;

	private final Executor setup;

	private final Executor workers;

	private final TaskScheduler timer;

	private final List<ScheduledFuture<?>> timerTasks = new ArrayList<>();

	private volatile @Nullable Consumer<String> lostQueueHandler;

	private volatile @Nullable Listener resolvedListener;

	private volatile ToIntFunction<String> prefetch;

	private final RateLimitedLog failedBatches = new RateLimitedLog(logger);

	private volatile @Nullable Batching batching;

	private int batchSize = 1;

	private Duration batchTimeout = Duration.ZERO;

	private final Map<Object, BatchCollector<Batched>> collectors = new ConcurrentHashMap<>();

	private Clock clock = Clock.systemUTC();

	private volatile boolean running;

	private int phase = DEFAULT_PHASE;

	/**
	 * Create a new {@code MultiplexedConsumers}.
	 * @param connectionFactories makes the connection factory of the connection with the
	 * given index, each with a connection of its own
	 * @param listener gives the listener every delivery is handed to (asked on the first
	 * delivery, so it may be a bean that depends on these consumers); it is the event
	 * {@code io.eventlistener.dispatch.DeliveryPipeline}
	 * @param settings how consumers are spread, acknowledged, restarted and stopped
	 * @param threads the threads it runs on; none of its own
	 */
	public MultiplexedConsumers(IntFunction<ConnectionFactory> connectionFactories, Supplier<Listener> listener,
			Settings settings, Threads threads) {
		this.connectionFactories = connectionFactories;
		this.listener = listener;
		this.settings = settings;
		this.prefetch = (queue) -> settings.prefetch();
		this.handlers = threads.handlers();
		this.setup = threads.setup();
		this.workers = threads.lostQueues();
		this.timer = threads.timer();
		Instant now = this.clock.instant();
		Duration restart = settings.restartInterval();
		this.timerTasks.add(this.timer.scheduleWithFixedDelay(this::restartLost, now.plus(restart), restart));
		if (settings.messagesPerAck() > 1) {
			Duration ackTimeout = Duration.ofMillis(Math.max(1, settings.ackTimeout().toMillis()));
			this.timerTasks
				.add(this.timer.scheduleWithFixedDelay(this::flushDueAcks, now.plus(ackTimeout), ackTimeout));
		}
	}

	/**
	 * Set the clock that tells since when a queue has had no consumer.
	 * @param clock tells since when a queue has had no consumer
	 */
	public void setClock(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Set the prefetch of each queue's consumer (the settings' prefetch unless told
	 * otherwise): an ordered queue takes 1, so that what a consumer holds unacknowledged
	 * is one event, not a window another instance would handle again after a fail-over.
	 * @param prefetch gives the prefetch of a queue's consumer
	 */
	public void setPrefetch(ToIntFunction<String> prefetch) {
		this.prefetch = prefetch;
	}

	/**
	 * Handle the deliveries {@link Batching#batchOf} assigns to a batch together: up to
	 * {@code size} of one key, or what arrived within {@code timeout} of the first.
	 * @param batching which deliveries are batched, and how a batch is handled
	 * @param size the most deliveries in a batch
	 * @param timeout how long the first delivery of a batch waits for the others
	 */
	public void setBatching(Batching batching, int size, Duration timeout) {
		Assert.isTrue(size > 0, "size must be positive");
		this.batchSize = size;
		this.batchTimeout = timeout;
		this.batching = batching;
	}

	@Override
	public void setLostQueueHandler(Consumer<String> handler) {
		this.lostQueueHandler = handler;
	}

	@Override
	public void consume(String queue) {
		List<QueueConsumer> added = assign(List.of(queue));
		if (this.running) {
			added.forEach(this::subscribe);
		}
	}

	/**
	 * Give the queues their channels and return; they are consumed in parallel, one task
	 * per channel.
	 */
	@Override
	public void consumeAll(Collection<String> queues) {
		List<QueueConsumer> added = assign(queues);
		if (this.running) {
			subscribeBySlot(added);
		}
	}

	/**
	 * Cancel a queue's consumer, return what it had prefetched, and wait (at most the
	 * shutdown timeout) until its in-flight handler returned and was acknowledged.
	 */
	@Override
	public void cancel(String queue) {
		cancelAll(List.of(queue));
	}

	/**
	 * Cancel these queues' consumers at once, then wait (at most the shutdown timeout in
	 * all, not per queue) until their in-flight handlers returned and were acknowledged.
	 * Ordered queues' consumers (one delivery at a time) leave with their channel
	 * ({@link Slot#handOver}).
	 */
	@Override
	public void cancelAll(Collection<String> queues) {
		List<QueueConsumer> cancelled = new ArrayList<>();
		synchronized (this.lock) {
			for (String queue : new LinkedHashSet<>(queues)) {
				QueueConsumer consumer = this.consumers.remove(queue);
				if (consumer != null) {
					consumer.slot.members.remove(consumer);
					this.unconsumedSince.remove(queue);
					cancelled.add(consumer);
				}
			}
		}
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		// a basic.cancel waits for its cancel-ok behind the deliveries already on the
		// way,
		// and a channel carries one such call at a time: the channels cancel in parallel
		Map<Slot, List<QueueConsumer>> bySlot = new LinkedHashMap<>();
		for (QueueConsumer consumer : cancelled) {
			if (consumer.subscription == null) {
				consumer.cancelled = true;
			}
			else {
				bySlot.computeIfAbsent(consumer.slot, (slot) -> new ArrayList<>()).add(consumer);
			}
		}
		List<Future<?>> cancels = new ArrayList<>();
		for (Map.Entry<Slot, List<QueueConsumer>> entry : bySlot.entrySet()) {
			Slot slot = entry.getKey();
			List<QueueConsumer> members = entry.getValue();
			Runnable cancel = () -> {
				if (slot.ordered) {
					slot.handOver(members, deadline);
				}
				else {
					members.forEach(this::cancelConsumer);
				}
			};
			try {
				cancels.add(CompletableFuture.runAsync(cancel, this.setup));
			}
			catch (RejectedExecutionException ex) {
				// stopping: the pool is shut down
				cancel.run();
			}
		}
		cancels.forEach((cancel) -> await(cancel, deadline));
		List<String> late = new ArrayList<>();
		for (QueueConsumer consumer : cancelled) {
			if (!consumer.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				late.add(consumer.queue);
			}
			Subscription subscription = consumer.subscription;
			if (subscription != null) {
				subscription.acks.flush();
			}
		}
		if (!late.isEmpty()) {
			logger.warn("The consumer(s) of " + late.size() + " queue(s) did not stop within "
					+ this.settings.shutdownTimeout() + " (" + late.get(0) + ((late.size() > 1) ? ", ..." : "")
					+ "); their unacknowledged deliveries return to their queues when their channels close");
		}
	}

	@Override
	public Map<String, Duration> unconsumed() {
		Instant now = this.clock.instant();
		Map<String, Duration> result = new LinkedHashMap<>();
		this.unconsumedSince.forEach((queue, since) -> result.put(queue, Duration.between(since, now)));
		return result;
	}

	/**
	 * Return how many queues are consumed.
	 * @return how many queues are consumed
	 */
	public int queueCount() {
		synchronized (this.lock) {
			return this.consumers.size();
		}
	}

	/**
	 * Return how many queues have a consumer the broker confirmed.
	 * @return how many queues have a consumer the broker confirmed
	 */
	public int consumingCount() {
		synchronized (this.lock) {
			return (int) this.consumers.values()
				.stream()
				.filter((consumer) -> consumer.subscription != null && consumer.subscription.tag != null)
				.count();
		}
	}

	/**
	 * Return how many channels carry consumers.
	 * @return how many channels carry consumers
	 */
	public int channelCount() {
		synchronized (this.lock) {
			return this.slots.size();
		}
	}

	/**
	 * Open the first channel (so an unreachable broker or a refused login shows now),
	 * then consume every assigned queue, the channels in parallel, and wait until they
	 * are.
	 */
	@Override
	public void start() {
		List<QueueConsumer> all;
		synchronized (this.lock) {
			if (this.slots.isEmpty()) {
				slotWithRoom(false);
			}
			this.running = true;
			all = List.copyOf(this.consumers.values());
		}
		try {
			checkChannelMax(this.slots.get(0).open().channel().getConnection().getChannelMax());
		}
		catch (IOException | AmqpException ex) {
			logger.warn("Could not open a consumer channel yet; retrying every " + this.settings.restartInterval()
					+ ": " + ex);
		}
		subscribeBySlot(all).forEach(this::await);
		logger.info("Consuming observer queues multiplexed: " + this.settings.consumersPerChannel()
				+ " consumers per channel");
	}

	/**
	 * Fail start-up when a connection cannot carry {@code channelsPerConnection}
	 * channels: the channels past {@code channel_max} would be refused, and their
	 * consumers missing.
	 */
	private void checkChannelMax(int channelMax) {
		if (channelMax > 0 && this.settings.channelsPerConnection() > channelMax - SPARE_CHANNELS) {
			throw new ChannelMaxExceededException("event-listener.consumer.channels-per-connection",
					this.settings.channelsPerConnection(), channelMax, SPARE_CHANNELS);
		}
	}

	@Override
	public void stop() {
		CountDownLatch done = new CountDownLatch(1);
		stop(done::countDown);
		await(done);
	}

	/**
	 * Cancel every consumer but ordered queues' (see
	 * {@link Slot#cancelAllButOneAtATime}), let in-flight handlers finish and acknowledge
	 * them, then close the channels so prefetched deliveries go back to their queues;
	 * then run the callback.
	 */
	@Override
	public void stop(Runnable callback) {
		List<Slot> stopping;
		synchronized (this.lock) {
			this.running = false;
			stopping = List.copyOf(this.slots);
		}
		this.setup.execute(() -> {
			try {
				stopping.stream().map((slot) -> submit(slot::cancelAllButOneAtATime)).toList().forEach(this::await);
				long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
				List<QueueConsumer> all;
				synchronized (this.lock) {
					all = List.copyOf(this.consumers.values());
				}
				for (QueueConsumer consumer : all) {
					consumer.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
				}
				// the batches still filling are handled before their channels close
				this.collectors.values().forEach(BatchCollector::flush);
				stopping.forEach(Slot::close);
				this.returnedAtStop.flush();
			}
			finally {
				callback.run();
			}
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Set the phase in which the context stops it, if still running.
	 * @param phase the phase in which the context stops it, if still running
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	/**
	 * Not started with the context: the lifecycle starts it before registering the active
	 * observers.
	 */
	@Override
	public boolean isAutoStartup() {
		return false;
	}

	@Override
	public void destroy() {
		synchronized (this.lock) {
			this.running = false;
		}
		this.slots.forEach(Slot::close);
		// the scheduler is shared: nothing of ours may run on it after this
		this.timerTasks.forEach((task) -> task.cancel(false));
		this.collectors.values().forEach(BatchCollector::cancel);
		for (ConnectionFactory connection : this.connections) {
			if (connection instanceof DisposableBean disposable) {
				try {
					disposable.destroy();
				}
				catch (Exception ex) {
					logger.warn("Could not close a consumer connection", ex);
				}
			}
		}
	}

	private List<QueueConsumer> assign(Collection<String> queues) {
		List<QueueConsumer> added = new ArrayList<>();
		synchronized (this.lock) {
			for (String queue : new LinkedHashSet<>(queues)) {
				if (!this.consumers.containsKey(queue)) {
					Slot slot = slotWithRoom(takesOneAtATime(queue));
					QueueConsumer consumer = new QueueConsumer(queue, slot);
					slot.members.add(consumer);
					this.consumers.put(queue, consumer);
					added.add(consumer);
				}
			}
		}
		return added;
	}

	/**
	 * A channel with room for one more consumer: ordered queues' consumers get channels
	 * of their own, which a hand-over closes ({@link Slot#handOver}). Call holding the
	 * lock.
	 */
	private Slot slotWithRoom(boolean ordered) {
		for (Slot slot : this.slots) {
			if (slot.ordered == ordered && slot.members.size() < this.settings.consumersPerChannel()) {
				return slot;
			}
		}
		int index = this.slots.size();
		int connection = index / this.settings.channelsPerConnection();
		if (connection == this.connections.size()) {
			this.connections.add(this.connectionFactories.apply(connection));
		}
		Slot slot = new Slot(index, this.connections.get(connection), ordered);
		this.slots.add(slot);
		return slot;
	}

	private List<Future<?>> subscribeBySlot(List<QueueConsumer> consumers) {
		Map<Slot, List<QueueConsumer>> bySlot = new LinkedHashMap<>();
		consumers
			.forEach((consumer) -> bySlot.computeIfAbsent(consumer.slot, (key) -> new ArrayList<>()).add(consumer));
		List<Future<?>> work = new ArrayList<>();
		bySlot.values().forEach((members) -> work.add(submit(() -> members.forEach(this::subscribe))));
		return work;
	}

	private Future<?> submit(Runnable task) {
		return CompletableFuture.runAsync(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Consuming observer queues failed; retrying every " + this.settings.restartInterval() + ": "
						+ ex);
			}
		}, this.setup);
	}

	private void await(Future<?> future) {
		try {
			future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// logged by the task
		}
	}

	private boolean takesOneAtATime(String queue) {
		return this.prefetch.applyAsInt(queue) == 1;
	}

	/** Acknowledge what it handled, then cancel it; what arrives later is rejected. */
	private void cancelConsumer(QueueConsumer consumer) {
		Subscription subscription = consumer.subscription;
		consumer.cancelled = true;
		if (subscription != null) {
			subscription.acks.flush();
			subscription.cancel();
		}
	}

	private void await(Future<?> future, long deadline) {
		try {
			future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// logged by the task, or late: the wait for the handlers below says so
		}
	}

	private void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start a consumer of the queue on its slot's channel; on failure it is reported
	 * unconsumed and started again by the restart timer.
	 */
	private void subscribe(QueueConsumer consumer) {
		synchronized (consumer.slot) {
			if (consumer.cancelled || !this.running || consumer.subscription != null) {
				return;
			}
			ChannelAcks acks;
			try {
				acks = consumer.slot.open();
			}
			catch (IOException | AmqpException ex) {
				unconsumed(consumer);
				return;
			}
			Subscription subscription = new Subscription(consumer, acks);
			consumer.subscription = subscription;
			try {
				subscription.consuming(basicConsume(acks.channel(), consumer.queue, subscription));
				if (consumer.cancelled) {
					// cancelled while basic.consume waited for its reply: cancel() found
					// no consumer tag to cancel, so the consumer would outlive its
					// registration
					subscription.cancel();
					return;
				}
				consumer.missing = false;
				this.unconsumedSince.remove(consumer.queue);
			}
			catch (IOException | ShutdownSignalException ex) {
				consumer.subscription = null;
				boolean missing = isNotFound(ex);
				lost(consumer, missing);
				if (!missing) {
					this.consumeFailures.warn(() -> "Could not consume queue " + consumer.queue + "; retrying every "
							+ this.settings.restartInterval() + ": " + KnownOutages.describe(ex));
					// a timed-out call leaves the shared channel's replies out of step:
					// its consumers start again on a new one
					RabbitUtils.setPhysicalCloseRequired(acks.channel(), true);
					RabbitUtils.closeChannel(acks.channel());
				}
			}
		}
	}

	/**
	 * Consume with the queue's own prefetch: {@code basic.qos} (per consumer) applies to
	 * the consumers started after it, so a queue with another prefetch sets its own
	 * before and the channel's back after. Called holding the slot's lock.
	 */
	private String basicConsume(Channel channel, String queue, Subscription subscription) throws IOException {
		int shared = this.settings.prefetch();
		int own = this.prefetch.applyAsInt(queue);
		if (own == shared) {
			return channel.basicConsume(queue, false, subscription);
		}
		channel.basicQos(own, false);
		String tag = channel.basicConsume(queue, false, subscription);
		channel.basicQos(shared, false);
		return tag;
	}

	/**
	 * The client's channel behind Spring's proxy, used for every call. The proxy holds a
	 * lock through each call, a {@code basic.consume}'s wait for its reply included; an
	 * acknowledgement waiting for that lock holds the channel's delivery bookkeeping,
	 * which the client's dispatch thread then waits for, the connection's reader then
	 * waits for the dispatch queue, and the reply is never read: the channel stalls for
	 * good. The client's own channel lets an acknowledgement through while an RPC waits.
	 */
	private static Channel target(Channel channel) {
		return (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
	}

	private static boolean isNotFound(Exception ex) {
		Throwable cause = ex;
		while (cause != null) {
			if (cause instanceof ShutdownSignalException signal
					&& signal.getReason() instanceof AMQP.Channel.Close close) {
				return close.getReplyCode() == NOT_FOUND;
			}
			cause = cause.getCause();
		}
		return false;
	}

	private void unconsumed(QueueConsumer consumer) {
		synchronized (this.lock) {
			if (this.consumers.get(consumer.queue) == consumer) {
				this.unconsumedSince.putIfAbsent(consumer.queue, this.clock.instant());
			}
		}
	}

	/**
	 * A consumer is gone without being asked: its queue is missing (the broker cancelled
	 * it, or consuming found no queue) or its channel failed.
	 */
	private void lost(QueueConsumer consumer, boolean queueMissing) {
		unconsumed(consumer);
		if (!queueMissing) {
			return;
		}
		consumer.missing = true;
		if (this.recovering.add(consumer.queue)) {
			this.workers.execute(() -> recover(consumer, 0));
		}
	}

	/**
	 * Hand a missing queue to the lost-queue handler until a passive declaration finds it
	 * (then consume it at once) or its consumer was removed (its row said otherwise):
	 * tried again after {@link #RECOVERY_FIRST_WAIT}, doubling up to
	 * {@link #RECOVERY_LONGEST_WAIT}, never left to the next resync. On RabbitMQ 4.0 a
	 * quorum queue's deletion ends after {@code queue.delete} answered: a declaration
	 * made meanwhile succeeds, and the {@code queue.bind} after it fails with
	 * {@code NOT_FOUND}. Runs on a lost-queue thread; the queue stays in
	 * {@code recovering} until it ends.
	 */
	private void recover(QueueConsumer consumer, int attempt) {
		String queue = consumer.queue;
		Consumer<String> handler = this.lostQueueHandler;
		if (handler == null || !isRecoverable(consumer)) {
			this.recovering.remove(queue);
			return;
		}
		try {
			handler.accept(queue);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not recover lost queue " + queue + ": " + ex);
		}
		if (!isRecoverable(consumer)) {
			this.recovering.remove(queue);
			return;
		}
		if (consumer.slot.exists(queue)) {
			this.recovering.remove(queue);
			consumer.missing = false;
			subscribe(consumer);
			return;
		}
		long wait = Math.min(RECOVERY_LONGEST_WAIT.toMillis(), RECOVERY_FIRST_WAIT.toMillis() << Math.min(attempt, 20));
		this.timer.schedule(() -> this.workers.execute(() -> recover(consumer, attempt + 1)),
				this.timer.getClock().instant().plusMillis(wait));
	}

	/** Still ours to consume: registered, not cancelled, and the consumers running. */
	private boolean isRecoverable(QueueConsumer consumer) {
		synchronized (this.lock) {
			return this.running && !consumer.cancelled && this.consumers.get(consumer.queue) == consumer;
		}
	}

	/**
	 * Every restart interval: open the channels that closed and consume the queues that
	 * lost their consumer; a queue that was missing only once a passive declaration finds
	 * it, and none that its recovery is declaring again.
	 */
	private void restartLost() {
		if (!this.running || this.unconsumedSince.isEmpty()) {
			return;
		}
		Map<Slot, List<QueueConsumer>> bySlot = new LinkedHashMap<>();
		synchronized (this.lock) {
			for (String queue : this.unconsumedSince.keySet()) {
				QueueConsumer consumer = this.consumers.get(queue);
				// a missing queue being declared again is consumed by its recovery
				if (consumer != null && consumer.subscription == null && !this.recovering.contains(queue)) {
					bySlot.computeIfAbsent(consumer.slot, (key) -> new ArrayList<>()).add(consumer);
				}
			}
		}
		bySlot.forEach((slot, members) -> {
			if (slot.restarting.compareAndSet(false, true)) {
				this.setup.execute(() -> {
					try {
						slot.restart(members);
					}
					finally {
						slot.restarting.set(false);
					}
				});
			}
		});
	}

	private void flushDueAcks() {
		long now = System.nanoTime();
		List<Slot> all;
		synchronized (this.lock) {
			all = List.copyOf(this.slots);
		}
		for (Slot slot : all) {
			ChannelAcks acks = slot.acks;
			if (acks != null) {
				acks.flushIfDue(now);
			}
		}
	}

	private Listener listener() {
		Listener resolved = this.resolvedListener;
		if (resolved == null) {
			resolved = this.listener.get();
			this.resolvedListener = resolved;
		}
		return resolved;
	}

	/**
	 * Handle one delivery on a handler thread and settle it: acknowledged once the
	 * listener returned, else rejected (requeued or not, as a container decides).
	 */
	private void handle(Delivery delivery) {
		Subscription subscription = delivery.subscription;
		ChannelAcks acks = subscription.acks;
		long tag = delivery.envelope.getDeliveryTag();
		if (!acks.channel().isOpen()) {
			// redelivered: its channel closed
			return;
		}
		if (acks == subscription.consumer.slot.draining) {
			// left unacknowledged: back to its queue, ahead of the rest, when the
			// channel closes
			return;
		}
		if (!this.running) {
			// left unacknowledged: back to its queue when the channel closes
			this.returnedAtStop.info(() -> "Returned a prefetched delivery to queue " + subscription.consumer.queue
					+ ": the listener is stopping");
			return;
		}
		if (subscription.consumer.cancelled) {
			acks.reject(tag, true);
			return;
		}
		MessageProperties properties = this.converter.toMessageProperties(delivery.properties, delivery.envelope,
				"UTF-8");
		properties.setConsumerQueue(subscription.consumer.queue);
		properties.setConsumerTag(subscription.tag);
		Message message = new Message(delivery.body, properties);
		Batching batching = this.batching;
		Object key = (batching != null) ? batchOf(batching, message) : null;
		if (batching != null && key != null) {
			this.collectors
				.computeIfAbsent(key,
						(type) -> new BatchCollector<>(this.batchSize, this.batchTimeout, this.timer, this.handlers,
								(batch) -> handleBatch(batching, type, batch)))
				.add(new Batched(acks, tag, message));
			return;
		}
		invoke(acks, tag, message);
	}

	/** Its batch's key, or {@code null} (handled alone) if that cannot be told. */
	private @Nullable Object batchOf(Batching batching, Message message) {
		try {
			return batching.batchOf(message);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not tell the batch of a delivery on queue "
					+ message.getMessageProperties().getConsumerQueue() + "; handling it alone", ex);
			return null;
		}
	}

	/**
	 * Hand a batch to its handler and acknowledge each delivery once it returned; if it
	 * threw, handle each delivery on its own, as if it had not been batched.
	 */
	private void handleBatch(Batching batching, Object key, List<Batched> batch) {
		try {
			batching.handle(key, batch.stream().map(Batched::message).toList());
		}
		catch (Exception ex) {
			this.failedBatches.warn(() -> "A batch of " + batch.size() + " events failed (" + ex
					+ "); handling each of them on its own");
			for (Batched one : batch) {
				if (one.acks().channel().isOpen()) {
					invoke(one.acks(), one.tag(), one.message());
				}
			}
			return;
		}
		for (Batched one : batch) {
			if (one.acks().channel().isOpen()) {
				one.acks().handled(one.tag());
			}
		}
	}

	/**
	 * Hand a delivery to the listener: acknowledged once it returned, else rejected
	 * (requeued or not, as a container decides).
	 */
	private void invoke(ChannelAcks acks, long tag, Message message) {
		try {
			listener().invokeListener(acks.channel(), message);
			acks.handled(tag);
		}
		catch (RuntimeException ex) {
			if (ContainerUtils.isImmediateAcknowledge(ex)) {
				acks.handled(tag);
			}
			else {
				acks.reject(tag, ContainerUtils.shouldRequeue(false, ex, logger));
			}
		}
	}

	/**
	 * Receives every delivery, as a container's delegate does: the channel it came on and
	 * the {@link Message}.
	 */
	@FunctionalInterface
	public interface Listener {

		void invokeListener(Channel channel, Object data);

	}

	/**
	 * Which deliveries are handled in batches, and how a batch is handled.
	 */
	public interface Batching {

		/**
		 * The batch a delivery belongs to.
		 * @param message the delivery
		 * @return the key of its batch (deliveries with equal keys are batched together),
		 * or {@code null} to hand it to the listener on its own
		 */
		@Nullable Object batchOf(Message message);

		/**
		 * Handle a batch.
		 * @param key the batch's key
		 * @param batch its deliveries, in the order they were received
		 * @throws Exception to have each delivery handed to the listener on its own
		 */
		void handle(Object key, List<Message> batch) throws Exception;

	}

	/**
	 * How consumers are spread, acknowledged, restarted and stopped.
	 *
	 * @param consumersPerChannel the most consumers on one channel
	 * @param channelsPerConnection the most channels on one connection
	 * @param prefetch unacknowledged deliveries per consumer
	 * @param messagesPerAck acknowledge in batches of this many; 1 acknowledges each
	 * @param ackTimeout the longest a returned delivery waits for its batch
	 * @param restartInterval how often lost consumers and closed channels are restarted
	 * @param shutdownTimeout how long stopping waits for in-flight handlers
	 */
	public record Settings(int consumersPerChannel, int channelsPerConnection, int prefetch, int messagesPerAck,
			Duration ackTimeout, Duration restartInterval, Duration shutdownTimeout) {

		public Settings {
			Assert.isTrue(consumersPerChannel > 0, "consumersPerChannel must be positive");
			Assert.isTrue(channelsPerConnection > 0, "channelsPerConnection must be positive");
		}

	}

	/**
	 * The threads the consumers run on, made by whoever builds them (the starter builds
	 * them with Spring Boot's builders, each named for its role).
	 *
	 * @param handlers runs handlers; its concurrency bounds the handlers running at once,
	 * and the deliveries waiting for it are bounded by the prefetch
	 * @param setup consumes queues and reopens channels, one task per channel; its
	 * concurrency bounds the broker calls in parallel
	 * @param lostQueues recovers the queues the broker deleted under a consumer
	 * @param timer restarts lost consumers, flushes due acknowledgements and ends batches
	 * that waited their timeout
	 */
	public record Threads(Executor handlers, Executor setup, Executor lostQueues, TaskScheduler timer) {

	}

	/**
	 * A channel of ours and the consumers it carries; opened again when it closed.
	 */
	private final class Slot {

		private final int index;

		private final ConnectionFactory connectionFactory;

		/** Guarded by the outer lock. */
		private final Set<QueueConsumer> members = new LinkedHashSet<>();

		private final AtomicBoolean restarting = new AtomicBoolean();

		/** Carries ordered queues' consumers only. */
		private final boolean ordered;

		private volatile @Nullable ChannelAcks acks;

		/** The channel a hand-over is closing: what it delivers is left to return. */
		private volatile @Nullable ChannelAcks draining;

		private Slot(int index, ConnectionFactory connectionFactory, boolean ordered) {
			this.index = index;
			this.connectionFactory = connectionFactory;
			this.ordered = ordered;
		}

		/** The open channel, opening one if there is none. */
		private synchronized ChannelAcks open() throws IOException {
			ChannelAcks current = this.acks;
			if (current != null && current.channel().isOpen()) {
				return current;
			}
			Channel channel = target(this.connectionFactory.createConnection().createChannel(false));
			channel.basicQos(MultiplexedConsumers.this.settings.prefetch(), false);
			ChannelAcks opened = new ChannelAcks(channel, MultiplexedConsumers.this.settings.messagesPerAck(),
					MultiplexedConsumers.this.settings.ackTimeout().toNanos());
			channel.addShutdownListener((signal) -> closed(opened, signal));
			this.acks = opened;
			return opened;
		}

		/**
		 * The channel closed (on the connection's thread: must not block): its consumers
		 * are gone and their deliveries back in the queues.
		 */
		private void closed(ChannelAcks closedAcks, ShutdownSignalException signal) {
			List<QueueConsumer> affected;
			synchronized (MultiplexedConsumers.this.lock) {
				affected = List.copyOf(this.members);
			}
			for (QueueConsumer consumer : affected) {
				Subscription subscription = consumer.subscription;
				if (subscription != null && subscription.acks == closedAcks) {
					consumer.subscription = null;
					unconsumed(consumer);
				}
			}
			if (MultiplexedConsumers.this.running && !signal.isInitiatedByApplication()) {
				logger.info("Consumer channel " + this.index + " closed (" + signal.getMessage() + "); its "
						+ affected.size() + " consumers are started again");
			}
		}

		/** Reopen the channel if need be and consume the given queues again. */
		private void restart(List<QueueConsumer> lost) {
			try {
				open();
			}
			catch (IOException | AmqpException ex) {
				logger.debug("Consumer channel " + this.index + " cannot be opened yet: " + ex);
				return;
			}
			for (QueueConsumer consumer : lost) {
				if (!consumer.missing || exists(consumer.queue)) {
					subscribe(consumer);
				}
				else {
					// still missing: declared again with back-off (a no-op while that
					// runs)
					lost(consumer, true);
				}
			}
		}

		/** A passive declaration on a channel of its own, which a 404 closes. */
		private boolean exists(String queue) {
			try {
				Channel probe = this.connectionFactory.createConnection().createChannel(false);
				try {
					probe.queueDeclarePassive(queue);
					return true;
				}
				finally {
					RabbitUtils.closeChannel(probe);
				}
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		}

		/**
		 * Cancel the consumers that take more than one delivery at a time. A consumer
		 * taking one (an ordered queue's) is left to leave with its channel: a
		 * {@code basic.cancel} would hand the queue's single active consumer to another
		 * instance at once, while the delivery this one holds is still to be handled or
		 * returned, and the other would handle later events first; a closing channel
		 * returns what it holds and hands the queue on in one step.
		 */
		private void cancelAllButOneAtATime() {
			List<QueueConsumer> all;
			synchronized (MultiplexedConsumers.this.lock) {
				all = List.copyOf(this.members);
			}
			for (QueueConsumer consumer : all) {
				Subscription subscription = consumer.subscription;
				if (subscription != null && !this.ordered) {
					subscription.cancel();
				}
			}
		}

		/**
		 * Hand these ordered queues on: a {@code basic.cancel} would hand a queue's
		 * single active consumer to another instance at once, and a delivery this one
		 * held or received meanwhile would return behind later events the other handles
		 * first. Instead the channel stops handling what it receives, its handlers finish
		 * (at most until the deadline), and it closes, which returns what it holds to the
		 * head of each queue and hands the queues on in one step; the ordered queues
		 * staying on it consume again on a new channel, and get what returned first.
		 */
		private synchronized void handOver(List<QueueConsumer> leaving, long deadline) {
			ChannelAcks current = this.acks;
			List<QueueConsumer> staying;
			synchronized (MultiplexedConsumers.this.lock) {
				staying = List.copyOf(this.members);
			}
			if (current != null && current.channel().isOpen()) {
				this.draining = current;
				for (QueueConsumer consumer : leaving) {
					consumer.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
				}
				for (QueueConsumer consumer : staying) {
					consumer.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
				}
			}
			// the batches still filling are handled before their channel closes
			MultiplexedConsumers.this.collectors.values().forEach(BatchCollector::flush);
			leaving.forEach((consumer) -> consumer.cancelled = true);
			close();
			this.draining = null;
			for (QueueConsumer consumer : staying) {
				Subscription subscription = consumer.subscription;
				if (subscription != null && subscription.acks == current) {
					consumer.subscription = null;
				}
				subscribe(consumer);
			}
		}

		/** Acknowledge what was handled, then close: the rest go back to their queues. */
		private synchronized void close() {
			ChannelAcks current = this.acks;
			if (current != null && current.channel().isOpen()) {
				current.flush();
				RabbitUtils.setPhysicalCloseRequired(current.channel(), true);
				RabbitUtils.closeChannel(current.channel());
			}
		}

	}

	/**
	 * One observer queue: its current consumer and its deliveries waiting for a handler
	 * thread, handled one at a time in order.
	 */
	private final class QueueConsumer {

		private final String queue;

		private final Slot slot;

		private final ConcurrentLinkedQueue<Delivery> mailbox = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean scheduled = new AtomicBoolean();

		private volatile @Nullable Subscription subscription;

		private volatile boolean cancelled;

		/** The broker said the queue is gone: consumed again once it exists. */
		private volatile boolean missing;

		private QueueConsumer(String queue, Slot slot) {
			this.queue = queue;
			this.slot = slot;
		}

		private void received(Delivery delivery) {
			this.mailbox.add(delivery);
			if (this.scheduled.compareAndSet(false, true)) {
				MultiplexedConsumers.this.handlers.execute(this::drain);
			}
		}

		/**
		 * Handle the deliveries waiting, at most {@code DRAIN_RUN} (32), then give the
		 * thread to the next queue: a busy queue pays one hand-over per run, not per
		 * delivery, and the other queues wait at most a run.
		 */
		private void drain() {
			try {
				for (int i = 0; i < DRAIN_RUN; i++) {
					Delivery delivery = this.mailbox.poll();
					if (delivery == null) {
						break;
					}
					handle(delivery);
				}
			}
			finally {
				this.scheduled.set(false);
				if (!this.mailbox.isEmpty() && this.scheduled.compareAndSet(false, true)) {
					MultiplexedConsumers.this.handlers.execute(this::drain);
				}
				else {
					synchronized (this) {
						notifyAll();
					}
				}
			}
		}

		/** Wait until no delivery is waiting or being handled. */
		private synchronized boolean awaitIdle(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.scheduled.get() || (this.subscription != null && !this.mailbox.isEmpty())) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				try {
					wait(left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * A consumer of a queue on one channel.
	 * <p>
	 * Its tag is the one {@code basic.consume} returned: the client calls
	 * {@link #handleConsumeOk} later, on its dispatch thread, so
	 * {@link #getConsumerTag()} may still be {@code null} when a cancel follows the
	 * consume at once (a hand-over while channels restart), and a cancel that trusted it
	 * would leave the broker a consumer nobody handles.
	 */
	private final class Subscription extends DefaultConsumer {

		private final QueueConsumer consumer;

		private final ChannelAcks acks;

		/** Set once the broker confirmed the consumer. */
		private volatile @Nullable String tag;

		private final AtomicBoolean cancelSent = new AtomicBoolean();

		private Subscription(QueueConsumer consumer, ChannelAcks acks) {
			super(acks.channel());
			this.consumer = consumer;
			this.acks = acks;
		}

		@Override
		public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
				byte[] body) {
			long tag = envelope.getDeliveryTag();
			this.acks.delivered(tag);
			if (this.acks == this.consumer.slot.draining) {
				// back to its queue, ahead of the rest, when the channel closes
				return;
			}
			if (this.consumer.cancelled) {
				this.acks.reject(tag, true);
				return;
			}
			// while stopping it stays unacknowledged and returns when the channel closes
			this.consumer.received(new Delivery(this, envelope, properties, body));
		}

		/** The broker cancelled the consumer: its queue was deleted. */
		@Override
		public void handleCancel(String consumerTag) {
			if (this.consumer.subscription == this) {
				this.consumer.subscription = null;
				lost(this.consumer, true);
			}
		}

		/** The broker confirmed the consumer under this tag. */
		private void consuming(String consumerTag) {
			this.tag = consumerTag;
		}

		@Override
		public void handleConsumeOk(String consumerTag) {
			super.handleConsumeOk(consumerTag);
			this.tag = consumerTag;
		}

		/** Cancel the consumer once, if the broker has confirmed it. */
		private void cancel() {
			String tag = this.tag;
			if (tag != null && this.acks.channel().isOpen() && this.cancelSent.compareAndSet(false, true)) {
				try {
					this.acks.channel().basicCancel(tag);
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Could not cancel the consumer of queue " + this.consumer.queue, ex);
				}
			}
		}

	}

	private record Batched(ChannelAcks acks, long tag, Message message) {

	}

	private record Delivery(Subscription subscription, Envelope envelope, AMQP.BasicProperties properties,
			byte[] body) {

	}

}
