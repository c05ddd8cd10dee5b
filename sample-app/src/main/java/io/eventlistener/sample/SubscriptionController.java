package io.eventlistener.sample;

import java.util.List;
import java.util.Map;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The REST API: subscriptions (create, read, change, disable, delete), their deliveries,
 * and publishing events. Saving or deleting a subscription is all it takes: the model
 * watcher registers, rebinds or unregisters its queue live.
 */
@RestController
class SubscriptionController {

	private final SubscriptionRepository subscriptions;

	private final DeliveryRepository deliveries;

	private final EventPublisher publisher;

	SubscriptionController(SubscriptionRepository subscriptions, DeliveryRepository deliveries,
			EventPublisher publisher) {
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.publisher = publisher;
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

	@PostMapping("/events")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> publish(@RequestBody EventRequest request) {
		Event event = Event.builder()
			.type((request.type() != null) ? request.type() : Event.DEFAULT_TYPE)
			.eventful(request.eventfulType(), request.eventfulId())
			.action(request.action())
			.parameters((request.parameters() != null) ? request.parameters() : Map.of())
			.build();
		this.publisher.publish(event);
		return Map.of("routingKey", event.routingKey());
	}

	private Subscription find(long id) {
		return this.subscriptions.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No subscription " + id));
	}

	record SubscriptionRequest(String name, List<String> routingKeys) {
	}

	record SubscriptionChange(@Nullable String name, @Nullable List<String> routingKeys, @Nullable Boolean enabled) {
	}

	record SubscriptionView(@Nullable Long id, String name, List<String> routingKeys, boolean enabled) {

		static SubscriptionView of(Subscription subscription) {
			return new SubscriptionView(subscription.getId(), subscription.getName(),
					List.copyOf(subscription.getRoutingKeys()), subscription.isEnabled());
		}

	}

	record EventRequest(@Nullable String type, String eventfulType, String eventfulId, @Nullable String action,
			@Nullable Map<String, Object> parameters) {
	}

}
