package io.eventlistener.partition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * owns, remembering the rest; {@link #assign} starts and stops queues as buckets come and
 * go. Broadcast observers' queues (one per instance) and the application's own queues are
 * passed straight through. Declaring and binding are untouched: a queue whose bucket is
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
				if (bucket == null || this.owned.get(bucket)) {
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
	 * Consume the queues of these buckets and no others.
	 * @param buckets the buckets this instance now consumes
	 * @return how many queues were started and stopped
	 */
	public Handover assign(BitSet buckets) {
		List<String> started = new ArrayList<>();
		List<String> stopped = new ArrayList<>();
		synchronized (this.lock) {
			BitSet previous = this.owned;
			this.owned = (BitSet) buckets.clone();
			this.partitioned.forEach((queue, bucket) -> {
				if (buckets.get(bucket) && !previous.get(bucket)) {
					started.add(queue);
				}
				else if (!buckets.get(bucket) && previous.get(bucket)) {
					stopped.add(queue);
				}
			});
			// the new queues first: a queue moving here may overlap with its old owner,
			// never wait for it
			this.delegate.consumeAll(started);
		}
		this.delegate.cancelAll(stopped);
		return new Handover(started.size(), stopped.size());
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

	/**
	 * What one {@link #assign} changed.
	 *
	 * @param started queues this instance started consuming
	 * @param stopped queues it stopped consuming
	 */
	public record Handover(int started, int stopped) {
	}

}
