package io.eventlistener.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Things recorded in order by one thread and awaited by another.
 *
 * @param <T> what is recorded
 */
public final class Recording<T> {

	private final List<T> items = new ArrayList<>();

	/**
	 * Record one item and wake up whoever awaits one.
	 * @param item the item
	 */
	public synchronized void add(T item) {
		this.items.add(item);
		notifyAll();
	}

	/**
	 * What was recorded, in order.
	 * @return a copy
	 */
	public synchronized List<T> items() {
		return List.copyOf(this.items);
	}

	public synchronized void clear() {
		this.items.clear();
	}

	/**
	 * Wait for the first item that matches, recorded before or during the wait.
	 * @param matching which item
	 * @param timeout how long to wait
	 * @param what what is awaited, for the failure message
	 * @return the item
	 * @throws AssertionError if none matched in time
	 */
	public synchronized T await(Predicate<? super T> matching, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			for (T item : this.items) {
				if (matching.test(item)) {
					return item;
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("No " + what + " within " + timeout + "; recorded meanwhile: " + this.items);
			}
			try {
				wait(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + what, ex);
			}
		}
	}

}
