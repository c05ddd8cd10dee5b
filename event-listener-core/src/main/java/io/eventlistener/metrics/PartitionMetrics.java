package io.eventlistener.metrics;

import java.time.Duration;

import io.eventlistener.partition.PartitionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Meters of partitioned consumption: rounds
 * ({@value EventListenerMeters#PARTITION_ROUNDS}) and hand-overs
 * ({@value EventListenerMeters#PARTITION_HANDOVER}), tagged by outcome only.
 */
public class PartitionMetrics implements PartitionListener {

	private final MeterRegistry registry;

	public PartitionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void round(RoundOutcome outcome) {
		Counter.builder(EventListenerMeters.PARTITION_ROUNDS)
			.description("Partition rounds: heartbeat, expiry, rebalance")
			.tag(EventListenerMeters.OUTCOME, outcome.name().toLowerCase().replace('_', '-'))
			.register(this.registry)
			.increment();
	}

	@Override
	public void handover(Duration duration, boolean failed) {
		Timer.builder(EventListenerMeters.PARTITION_HANDOVER)
			.description("Starting and stopping queues when this instance's buckets change")
			.tag(EventListenerMeters.OUTCOME, failed ? EventListenerMeters.FAILURE : EventListenerMeters.SUCCESS)
			.register(this.registry)
			.record(duration);
	}

}
