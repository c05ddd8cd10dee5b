package io.eventlistener.benchmarks;

import java.util.Collection;
import java.util.List;

/**
 * Medians and percentiles.
 */
final class Stats {

	private Stats() {
	}

	static double median(Collection<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * The value at a percentile of sorted values, in milliseconds.
	 * @param sortedNanos sorted values in nanoseconds
	 * @param percentile 0 to 100
	 */
	static double percentileMillis(long[] sortedNanos, double percentile) {
		if (sortedNanos.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100 * sortedNanos.length) - 1;
		return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
	}

}
