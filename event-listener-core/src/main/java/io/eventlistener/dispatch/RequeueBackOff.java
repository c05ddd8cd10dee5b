package io.eventlistener.dispatch;

import java.time.Duration;

import org.springframework.amqp.ImmediateRequeueAmqpException;

/**
 * How a delivery a handler requeued ({@link io.eventlistener.EventRequeueException}) is
 * tried again: in place, after a back-off that starts at the initial interval and grows
 * by the multiplier up to the longest interval, at most {@link #maxRequeues()} times;
 * after that the dispatcher dead-letters it. Trying in place keeps the broker's order and
 * the count (a delivery returned to the broker would come back at once, with no count),
 * and holds up only the delivery's own queue.
 * <p>
 * Stopping releases the waiting consumer threads; their deliveries go back to their
 * queues, unacknowledged, and are tried again from the start by the next consumer.
 */
public final class RequeueBackOff extends WaiterReleasingLifecycle {

	private final int maxRequeues;

	private final long initialMillis;

	private final double multiplier;

	private final long maxMillis;

	/**
	 * Create a new {@code RequeueBackOff}.
	 * @param maxRequeues how often one delivery may be requeued before it is
	 * dead-lettered, at least 0
	 * @param initialInterval the wait before the first try again
	 * @param multiplier how much each wait grows, at least 1
	 * @param maxInterval the longest wait
	 */
	public RequeueBackOff(int maxRequeues, Duration initialInterval, double multiplier, Duration maxInterval) {
		super(true);
		if (maxRequeues < 0 || multiplier < 1) {
			throw new IllegalArgumentException("max-requeues must be at least 0 and the multiplier at least 1; got "
					+ maxRequeues + " and " + multiplier);
		}
		this.maxRequeues = maxRequeues;
		this.initialMillis = initialInterval.toMillis();
		this.multiplier = multiplier;
		this.maxMillis = Math.max(this.initialMillis, maxInterval.toMillis());
	}

	/**
	 * The defaults of {@code event-listener.requeue.*}: 5 requeues, 1 s growing by 2 up
	 * to 30 s (at most 31 s in all).
	 * @return the back-off
	 */
	public static RequeueBackOff defaults() {
		return new RequeueBackOff(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));
	}

	/**
	 * Return how often one delivery may be requeued before it is dead-lettered.
	 * @return how often one delivery may be requeued before it is dead-lettered
	 */
	public int maxRequeues() {
		return this.maxRequeues;
	}

	/**
	 * The wait before a delivery's n-th try again.
	 * @param requeue which requeue, from 1
	 * @return the wait
	 */
	public Duration interval(int requeue) {
		double millis = this.initialMillis * Math.pow(this.multiplier, Math.max(0, requeue - 1));
		return Duration.ofMillis((long) Math.min(millis, this.maxMillis));
	}

	/**
	 * Wait before a delivery's n-th try again.
	 * @param requeue which requeue, from 1
	 * @throws ImmediateRequeueAmqpException if the listener stops meanwhile: the delivery
	 * goes back to its queue
	 */
	public void await(int requeue) {
		long deadline = System.nanoTime() + interval(requeue).toNanos();
		synchronized (lock()) {
			long left;
			while (isRunning() && (left = deadline - System.nanoTime()) > 0) {
				try {
					lock().wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		if (!isRunning() || Thread.currentThread().isInterrupted()) {
			throw new ImmediateRequeueAmqpException("The listener stopped while a requeued delivery waited");
		}
	}

}
