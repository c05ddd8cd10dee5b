package io.eventlistener.sample;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import org.jspecify.annotations.Nullable;

/**
 * One event handled for one subscription.
 */
@Entity
public class Delivery {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private long subscriptionId;

	private String routingKey = "";

	private Instant handledAt = Instant.EPOCH;

	protected Delivery() {
	}

	public Delivery(long subscriptionId, String routingKey, Instant handledAt) {
		this.subscriptionId = subscriptionId;
		this.routingKey = routingKey;
		this.handledAt = handledAt;
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public long getSubscriptionId() {
		return this.subscriptionId;
	}

	public String getRoutingKey() {
		return this.routingKey;
	}

	public Instant getHandledAt() {
		return this.handledAt;
	}

}
