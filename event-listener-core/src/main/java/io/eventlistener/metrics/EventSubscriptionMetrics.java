package io.eventlistener.metrics;

import io.eventlistener.subscription.BrokerEventSubscriptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The in-process subscriptions' meters: how many are open, how many events their readers
 * took, and how many were dropped, by reason ({@code overflow}: a full buffer;
 * {@code malformed}: not an event). No tag names a subscription.
 */
public class EventSubscriptionMetrics implements MeterBinder {

	/** Gauge: the subscriptions open now. */
	public static final String OPEN = "event.listener.subscriptions.open";

	/** Counter: the events handed to subscriptions' readers. */
	public static final String DELIVERED = "event.listener.subscriptions.delivered";

	/** Counter: the events dropped, tagged {@code reason}. */
	public static final String DROPPED = "event.listener.subscriptions.dropped";

	/** The {@code reason} tag of {@link #DROPPED}. */
	public static final String REASON = "reason";

	private final BrokerEventSubscriptions subscriptions;

	public EventSubscriptionMetrics(BrokerEventSubscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(OPEN, this.subscriptions, BrokerEventSubscriptions::openCount)
			.description("In-process event subscriptions open")
			.register(registry);
		FunctionCounter.builder(DELIVERED, this.subscriptions, BrokerEventSubscriptions::delivered)
			.description("Events handed to in-process subscriptions' readers")
			.register(registry);
		FunctionCounter.builder(DROPPED, this.subscriptions, BrokerEventSubscriptions::dropped)
			.tag(REASON, "overflow")
			.description("Events dropped from in-process subscriptions")
			.register(registry);
		FunctionCounter.builder(DROPPED, this.subscriptions, BrokerEventSubscriptions::malformed)
			.tag(REASON, EventListenerMeters.MALFORMED)
			.description("Events dropped from in-process subscriptions")
			.register(registry);
	}

}
