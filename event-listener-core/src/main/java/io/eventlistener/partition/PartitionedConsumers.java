package io.eventlistener.partition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import io.eventlistener.DeliveryMode;
import io.eventlistener.registry.MonitoredConsumers;
import io.eventlistener.registry.ObserverRegistration;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The consumers of a partitioned instance: the registry asks them to consume every
 * observer's queue, as always, and they consume only those whose bucket this instance
 * owns, remembering the rest; {@link #assign} starts the queues of buckets that came and
 * {@link #release} stops those of buckets that went. Starting returns at once and
 * stopping waits for in-flight handlers, so a caller starts in its round and stops on a
 * thread of its own; a queue whose bucket comes back while it is being stopped is started
 * again when the stop has finished, never before (a start then would find the old
 * consumer and do nothing, and the stop would leave the queue without one). Broadcast
 * observers' queues (one per instance) and the application's own queues are passed
 * straight through. Declaring and binding are untouched: a queue whose bucket is
 * elsewhere still exists, bound, and keeps its messages until its owner consumes them.
 * <p>
 * A decorator rather than a change to the consumer engine: the engine still consumes what
 * it is told, and its lifecycle ({@link SmartLifecycle}, {@link DisposableBean}) is
 * passed on when it has one.
 */
public class PartitionedConsumers implements MonitoredConsumers, SmartLifecycle, DisposableBean {

	private final MonitoredConsumers delegate;

	private final Function<String, Optional<ObserverRegistration>> observers;

	/** The partitioned queues asked for, with their buckets. */
	private final Map<String, Integer> partitioned = new HashMap<>();

	private BitSet owned = new BitSet(Buckets.COUNT);

	/** Buckets no longer owned whose queues are still consumed until {@link #release}. */
	private BitSet releasing = new BitSet(Buckets.COUNT);

	/** Queues {@link #release} is cancelling now. */
	private final Set<String> stopping = new HashSet<>();

	private final Object lock = new Object();

	/**
	 * Create a new {@code PartitionedConsumers}.
	 * @param delegate the consumer engine
	 * @param observers finds the observer a queue belongs to (the registry's
	 * {@code findByQueue}); a queue of none is consumed as asked
	 */
	public PartitionedConsumers(MonitoredConsumers delegate,
			Function<String, Optional<ObserverRegistration>> observers) {
		this.delegate = delegate;
		this.observers = observers;
	}

	/**
	 * The consumer engine these consumers decorate, for its counts (consumers and
	 * channels, as a benchmark reports them).
	 * @return the engine
	 */
	public MonitoredConsumers delegate() {
		return this.delegate;
	}

	@Override
	public void consume(String queue) {
		consumeAll(List.of(queue));
	}

	@Override
	public void consumeAll(Collection<String> queues) {
		List<String> consumed = new ArrayList<>(queues.size());
		synchronized (this.lock) {
			for (String queue : queues) {
				Integer bucket = bucket(queue);
				if (bucket != null) {
					this.partitioned.put(queue, bucket);
				}
				if ((bucket == null || this.owned.get(bucket)) && !this.stopping.contains(queue)) {
					consumed.add(queue);
				}
			}
			this.delegate.consumeAll(consumed);
		}
	}

	@Override
	public void cancel(String queue) {
		synchronized (this.lock) {
			this.partitioned.remove(queue);
		}
		this.delegate.cancel(queue);
	}

	@Override
	public void cancelAll(Collection<String> queues) {
		synchronized (this.lock) {
			queues.forEach(this.partitioned::remove);
		}
		this.delegate.cancelAll(queues);
	}

	/**
	 * Consume the queues of these buckets: those that came are started now (a consume
	 * returns at once); those that went stay consumed until {@link #release}.
	 * @param buckets the buckets this instance now consumes
	 * @return how many queues were started
	 */
	public int assign(BitSet buckets) {
		List<String> started = new ArrayList<>();
		synchronized (this.lock) {
			BitSet previous = this.owned;
			this.owned = (BitSet) buckets.clone();
			BitSet went = (BitSet) previous.clone();
			went.andNot(buckets);
			this.releasing.or(went);
			this.releasing.andNot(buckets);
			this.partitioned.forEach((queue, bucket) -> {
				if (buckets.get(bucket) && !previous.get(bucket) && !this.stopping.contains(queue)) {
					started.add(queue);
				}
			});
			this.delegate.consumeAll(started);
		}
		return started.size();
	}

	/**
	 * Whether buckets went since the last {@link #release}.
	 * @return whether there are queues to stop
	 */
	public boolean hasReleasing() {
		synchronized (this.lock) {
			return !this.releasing.isEmpty();
		}
	}

	/**
	 * Stop the queues of the buckets that went, waiting (at most the shutdown timeout)
	 * for their in-flight handlers; a queue whose bucket came back meanwhile is consumed
	 * again afterwards.
	 * @return how many queues were stopped
	 */
	public int release() {
		List<String> stopped = new ArrayList<>();
		synchronized (this.lock) {
			BitSet buckets = this.releasing;
			this.releasing = new BitSet(Buckets.COUNT);
			// a queue another release is stopping stays its: that one starts it again
			// if its bucket is back by then
			this.partitioned.forEach((queue, bucket) -> {
				if (buckets.get(bucket) && !this.stopping.contains(queue)) {
					stopped.add(queue);
				}
			});
			this.stopping.addAll(stopped);
		}
		try {
			this.delegate.cancelAll(stopped);
		}
		finally {
			synchronized (this.lock) {
				stopped.forEach(this.stopping::remove);
				this.delegate.consumeAll(stopped.stream().filter(this::ownedNow).toList());
			}
		}
		return stopped.size();
	}

	/** Call holding the lock. */
	private boolean ownedNow(String queue) {
		Integer bucket = this.partitioned.get(queue);
		return bucket != null && this.owned.get(bucket);
	}

	/**
	 * The buckets consumed now.
	 * @return a copy
	 */
	public BitSet owned() {
		synchronized (this.lock) {
			return (BitSet) this.owned.clone();
		}
	}

	/**
	 * How many partitioned observers are consumed here, of how many registered.
	 * @return the counts
	 */
	public ObserverCounts observerCounts() {
		synchronized (this.lock) {
			int consumed = (int) this.partitioned.values().stream().filter(this.owned::get).count();
			return new ObserverCounts(consumed, this.partitioned.size());
		}
	}

	private Integer bucket(String queue) {
		return this.observers.apply(queue)
			.filter((registration) -> registration.type().delivery() != DeliveryMode.BROADCAST)
			.map((registration) -> Buckets.of(registration.key()))
			.orElse(null);
	}

	@Override
	public Map<String, Duration> unconsumed() {
		return this.delegate.unconsumed();
	}

	@Override
	public void setLostQueueHandler(Consumer<String> handler) {
		this.delegate.setLostQueueHandler(handler);
	}

	@Override
	public void start() {
		if (this.delegate instanceof SmartLifecycle lifecycle) {
			lifecycle.start();
		}
	}

	@Override
	public void stop() {
		if (this.delegate instanceof SmartLifecycle lifecycle) {
			lifecycle.stop();
		}
	}

	@Override
	public void stop(Runnable callback) {
		if (this.delegate instanceof SmartLifecycle lifecycle) {
			lifecycle.stop(callback);
		}
		else {
			callback.run();
		}
	}

	@Override
	public boolean isRunning() {
		return (this.delegate instanceof SmartLifecycle lifecycle) && lifecycle.isRunning();
	}

	@Override
	public boolean isAutoStartup() {
		return (this.delegate instanceof SmartLifecycle lifecycle) && lifecycle.isAutoStartup();
	}

	@Override
	public int getPhase() {
		return (this.delegate instanceof SmartLifecycle lifecycle) ? lifecycle.getPhase() : DEFAULT_PHASE;
	}

	@Override
	public void destroy() throws Exception {
		if (this.delegate instanceof DisposableBean disposable) {
			disposable.destroy();
		}
	}

	/**
	 * Partitioned observers consumed here, of those registered (all instances register
	 * all).
	 *
	 * @param consumed consumed here
	 * @param registered registered
	 */
	public record ObserverCounts(int consumed, int registered) {
	}

}
