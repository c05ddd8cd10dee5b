package io.eventlistener.benchmarks.soak;

import java.util.BitSet;

/**
 * Which sequence numbers were handled, and how many deliveries repeated one: a bit per
 * number, so the record stays a few kilobytes however long the run (a set of boxed
 * numbers would itself look like a leak on the heap chart).
 */
public final class Deliveries {

	private final BitSet seen = new BitSet();

	private long handled;

	private long duplicates;

	private int highest;

	/**
	 * Record one handled delivery.
	 * @param seq its sequence number
	 */
	public synchronized void handled(int seq) {
		this.handled++;
		this.highest = Math.max(this.highest, seq);
		if (this.seen.get(seq)) {
			this.duplicates++;
		}
		else {
			this.seen.set(seq);
		}
	}

	/** Deliveries handled, duplicates included. */
	public synchronized long handled() {
		return this.handled;
	}

	/** The highest sequence number handled so far. */
	public synchronized int highest() {
		return this.highest;
	}

	public synchronized long duplicates() {
		return this.duplicates;
	}

	/**
	 * How many of the given sequence numbers were never handled.
	 * @param published the numbers the broker confirmed
	 * @return how many of them are missing
	 */
	public synchronized int missing(BitSet published) {
		BitSet missing = (BitSet) published.clone();
		missing.andNot(this.seen);
		return missing.cardinality();
	}

}
