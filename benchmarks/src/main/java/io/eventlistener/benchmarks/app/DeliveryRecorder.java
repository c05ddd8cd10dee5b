package io.eventlistener.benchmarks.app;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trivial handler work every contender does: count the delivery, remember when the
 * first and the last arrived, and, while latencies are recorded, how long the event took
 * from its publisher (which wrote {@link System#nanoTime()} into the body) to here.
 */
public final class DeliveryRecorder {

	private final AtomicLong count = new AtomicLong();

	private final AtomicLong first = new AtomicLong();

	private volatile long last;

	private volatile long[] latencies = new long[0];

	private final AtomicInteger latencyCount = new AtomicInteger();

	/**
	 * Record one delivery.
	 * @param sentNanos when it was published, or a negative number when unknown
	 */
	public void delivered(long sentNanos) {
		long now = System.nanoTime();
		this.first.compareAndSet(0, now);
		this.last = now;
		this.count.incrementAndGet();
		long[] recording = this.latencies;
		if (sentNanos >= 0 && recording.length > 0) {
			int index = this.latencyCount.getAndIncrement();
			if (index < recording.length) {
				recording[index] = now - sentNanos;
			}
		}
	}

	/**
	 * Forget everything, and record the latencies of up to {@code capacity} deliveries.
	 */
	public void reset(int capacity) {
		this.latencies = new long[capacity];
		this.latencyCount.set(0);
		this.first.set(0);
		this.last = 0;
		this.count.set(0);
	}

	public long count() {
		return this.count.get();
	}

	/**
	 * Deliveries per second between the first and the last.
	 */
	public double rate() {
		long span = this.last - this.first.get();
		return (span > 0) ? (this.count.get() - 1) * 1e9 / span : 0;
	}

	/**
	 * The recorded latencies in nanoseconds, sorted.
	 */
	public long[] sortedLatencies() {
		long[] recorded = Arrays.copyOf(this.latencies, Math.min(this.latencies.length, this.latencyCount.get()));
		Arrays.sort(recorded);
		return recorded;
	}

}
