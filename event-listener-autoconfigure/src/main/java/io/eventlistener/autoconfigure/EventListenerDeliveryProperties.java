package io.eventlistener.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.eventlistener.DeliveryMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How events are spread over the running instances, under
 * {@code event-listener.delivery}: the {@link DeliveryMode} of each observer type and the
 * identity of this instance's broadcast queues.
 */
@ConfigurationProperties("event-listener.delivery")
public class EventListenerDeliveryProperties {

	/**
	 * Delivery mode by observer type (the JPA entity name, as in
	 * event-listener.delivery.observers.Subscription=broadcast): pool, broadcast or
	 * ordered. Wins over the entity's @Delivery annotation; a type not named here keeps
	 * its annotation's mode, or pool.
	 */
	private final Map<String, DeliveryMode> observers = new LinkedHashMap<>();

	/**
	 * This instance's id in the names of its broadcast queues ({queue}.{instance-id}).
	 * Defaults to the queue prefix and a random part, new in every process; set a stable
	 * one (a StatefulSet pod's name) for a restarted instance to find its queues, and the
	 * events that arrived while it was down, again.
	 */
	private @Nullable String instanceId;

	/**
	 * How long a broadcast queue lives without a consumer before the broker deletes it
	 * (x-expires): how long the events of an instance that is gone are kept for it.
	 */
	private Duration broadcastQueueExpiry = Duration.ofMinutes(1);

	public Map<String, DeliveryMode> getObservers() {
		return this.observers;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public Duration getBroadcastQueueExpiry() {
		return this.broadcastQueueExpiry;
	}

	public void setBroadcastQueueExpiry(Duration broadcastQueueExpiry) {
		this.broadcastQueueExpiry = broadcastQueueExpiry;
	}

}
