package io.eventlistener.metrics;

import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.outbox.BrokerBlocking;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Meters of the faults the listener rides out: outage pauses of consuming
 * ({@value EventListenerMeters#OUTAGE_PAUSES},
 * {@value EventListenerMeters#OUTAGE_PAUSED}) and the broker blocking publishers
 * ({@value EventListenerMeters#PUBLISHER_BLOCKED}).
 */
public class FaultMetrics implements MeterBinder {

	private final @Nullable OutagePause outagePause;

	private final @Nullable BrokerBlocking brokerBlocking;

	/**
	 * Create a new {@code FaultMetrics}.
	 * @param outagePause the outage pause, or {@code null} when there is none
	 * @param brokerBlocking the publishers' blocked state, or {@code null} when there is
	 * none
	 */
	public FaultMetrics(@Nullable OutagePause outagePause, @Nullable BrokerBlocking brokerBlocking) {
		this.outagePause = outagePause;
		this.brokerBlocking = brokerBlocking;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		OutagePause pause = this.outagePause;
		if (pause != null) {
			FunctionCounter.builder(EventListenerMeters.OUTAGE_PAUSES, pause, OutagePause::pauses)
				.description("Pauses of consuming because a resource the handlers need was down")
				.register(registry);
			Gauge.builder(EventListenerMeters.OUTAGE_PAUSED, pause, (p) -> p.current().isPresent() ? 1 : 0)
				.description("1 while consuming is paused by an outage")
				.register(registry);
		}
		BrokerBlocking blocking = this.brokerBlocking;
		if (blocking != null) {
			Gauge.builder(EventListenerMeters.PUBLISHER_BLOCKED, blocking, (b) -> b.current().isPresent() ? 1 : 0)
				.description("1 while the broker blocks this application's publishers")
				.register(registry);
		}
	}

}
