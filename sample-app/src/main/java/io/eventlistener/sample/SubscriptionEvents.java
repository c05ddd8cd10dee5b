package io.eventlistener.sample;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.eventlistener.Event;
import io.eventlistener.EventReplyHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Handles the events of every subscription: calls its webhook ({@link Webhooks}, played
 * by the sample), then records a delivery. A webhook that is down fails the event, which
 * the starter retries and then dead-letters. A request ({@code POST /events/requests}) is
 * answered with the subscription that took it and who published the event (its
 * {@code app_id}); for other events the answer is ignored.
 */
@Component
class SubscriptionEvents implements EventReplyHandler<Subscription> {

	private final DeliveryRepository deliveries;

	private final Webhooks webhooks;

	private final Clock clock;

	SubscriptionEvents(DeliveryRepository deliveries, Webhooks webhooks) {
		this.deliveries = deliveries;
		this.webhooks = webhooks;
		this.clock = Clock.systemUTC();
	}

	@Override
	public Map<String, @Nullable Object> reply(Subscription subscription, Event event) {
		this.webhooks.call(subscription.getId(), event);
		this.deliveries.save(new Delivery(subscription.getId(), event.routingKey(), this.clock.instant()));
		Map<String, @Nullable Object> answer = new LinkedHashMap<>();
		answer.put("subscription", subscription.getId());
		answer.put("name", subscription.getName());
		answer.put("requestedBy", event.publisherId());
		return answer;
	}

}
