package io.eventlistener.sample;

import java.time.Clock;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;

import org.springframework.stereotype.Component;

/**
 * Handles the events of every subscription by recording a delivery (where a real
 * application would call the subscriber's webhook).
 */
@Component
class SubscriptionEvents implements EventHandler<Subscription> {

	private final DeliveryRepository deliveries;

	private final Clock clock;

	SubscriptionEvents(DeliveryRepository deliveries) {
		this.deliveries = deliveries;
		this.clock = Clock.systemUTC();
	}

	@Override
	public void handle(Subscription subscription, Event event) {
		this.deliveries.save(new Delivery(subscription.getId(), event.routingKey(), this.clock.instant()));
	}

}
