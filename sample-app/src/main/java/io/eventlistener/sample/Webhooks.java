package io.eventlistener.sample;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.eventlistener.Event;

import org.springframework.stereotype.Component;

/**
 * The subscribers' webhooks, as the sample plays them: a real application would call the
 * subscriber's URL here. Each is up unless {@code PUT /subscriptions/{id}/webhook}
 * {@code {"up": false}} took it down; then every event for it fails, is retried and
 * dead-lettered, as a webhook answering 503 would make it, until it is up again and the
 * dead letters are replayed.
 */
@Component
class Webhooks {

	private final Set<Long> down = ConcurrentHashMap.newKeySet();

	/**
	 * Call the subscription's webhook with the event.
	 * @param subscriptionId the subscription
	 * @param event the event
	 * @throws WebhookFailedException when the webhook is down
	 */
	void call(long subscriptionId, Event event) {
		if (this.down.contains(subscriptionId)) {
			throw new WebhookFailedException(
					"Webhook of subscription " + subscriptionId + " answered 503 to " + event.routingKey());
		}
	}

	boolean isUp(long subscriptionId) {
		return !this.down.contains(subscriptionId);
	}

	void setUp(long subscriptionId, boolean up) {
		if (up) {
			this.down.remove(subscriptionId);
		}
		else {
			this.down.add(subscriptionId);
		}
	}

	/**
	 * A webhook that did not take the event.
	 */
	static class WebhookFailedException extends RuntimeException {

		WebhookFailedException(String message) {
			super(message);
		}

	}

}
