package io.eventlistener.sample;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The REST API of subscriptions: create, read, change, disable, delete, their deliveries,
 * and whether their webhook is up ({@link EventController} publishes events). Saving or
 * deleting a subscription is all it takes: the model watcher registers, rebinds or
 * unregisters its queue live.
 */
@RestController
class SubscriptionController {

	private final SubscriptionRepository subscriptions;

	private final DeliveryRepository deliveries;

	private final Webhooks webhooks;

	SubscriptionController(SubscriptionRepository subscriptions, DeliveryRepository deliveries, Webhooks webhooks) {
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.webhooks = webhooks;
	}

	@GetMapping("/subscriptions")
	List<SubscriptionView> list() {
		return this.subscriptions.findAll().stream().map(SubscriptionView::of).toList();
	}

	@GetMapping("/subscriptions/{id}")
	SubscriptionView get(@PathVariable long id) {
		return SubscriptionView.of(find(id));
	}

	@PostMapping("/subscriptions")
	@ResponseStatus(HttpStatus.CREATED)
	SubscriptionView create(@RequestBody SubscriptionRequest request) {
		Subscription subscription = new Subscription(request.name(), request.routingKeys());
		return SubscriptionView.of(this.subscriptions.save(subscription));
	}

	@PatchMapping("/subscriptions/{id}")
	SubscriptionView change(@PathVariable long id, @RequestBody SubscriptionChange change) {
		Subscription subscription = find(id);
		if (change.name() != null) {
			subscription.setName(change.name());
		}
		if (change.routingKeys() != null) {
			subscription.setRoutingKeys(change.routingKeys());
		}
		if (change.enabled() != null) {
			subscription.setEnabled(change.enabled());
		}
		return SubscriptionView.of(this.subscriptions.save(subscription));
	}

	@DeleteMapping("/subscriptions/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable long id) {
		this.subscriptions.delete(find(id));
	}

	@GetMapping("/subscriptions/{id}/deliveries")
	List<Delivery> deliveries(@PathVariable long id) {
		return this.deliveries.findBySubscriptionIdOrderById(id);
	}

	@GetMapping("/subscriptions/{id}/webhook")
	WebhookState webhook(@PathVariable long id) {
		find(id);
		return new WebhookState(this.webhooks.isUp(id));
	}

	/**
	 * Take the subscription's webhook down ({@code {"up": false}}: its events fail) or
	 * bring it up again.
	 * @param id the subscription
	 * @param state whether the webhook is up
	 * @return the webhook's state
	 */
	@PutMapping("/subscriptions/{id}/webhook")
	WebhookState webhook(@PathVariable long id, @RequestBody WebhookState state) {
		find(id);
		this.webhooks.setUp(id, state.up());
		return state;
	}

	private Subscription find(long id) {
		return this.subscriptions.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No subscription " + id));
	}

	record SubscriptionRequest(String name, List<String> routingKeys) {
	}

	record SubscriptionChange(@Nullable String name, @Nullable List<String> routingKeys, @Nullable Boolean enabled) {
	}

	record WebhookState(boolean up) {
	}

	record SubscriptionView(@Nullable Long id, String name, List<String> routingKeys, boolean enabled) {

		static SubscriptionView of(Subscription subscription) {
			return new SubscriptionView(subscription.getId(), subscription.getName(),
					List.copyOf(subscription.getRoutingKeys()), subscription.isEnabled());
		}

	}

}
