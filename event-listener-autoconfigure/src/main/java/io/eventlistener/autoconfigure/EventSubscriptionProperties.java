package io.eventlistener.autoconfigure;

import io.eventlistener.subscription.OverflowPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * In-process event subscriptions ({@link io.eventlistener.EventSubscriptions}), under
 * {@code event-listener.subscriptions}.
 */
@ConfigurationProperties("event-listener.subscriptions")
public class EventSubscriptionProperties {

	/**
	 * Whether beans can subscribe to events in the process (EventSubscriptions). The
	 * subscription queue is declared only when the first subscription opens.
	 */
	private boolean enabled = true;

	/**
	 * How many events each subscription buffers for a reader that is behind; the overflow
	 * policy applies beyond.
	 */
	private int bufferSize = 1000;

	/**
	 * What a subscription with a full buffer does with the next event: drop-oldest (drop
	 * the oldest buffered event and count it) or cancel (end the subscription).
	 */
	private OverflowPolicy overflow = OverflowPolicy.DROP_OLDEST;

	/**
	 * Most subscriptions open at once; one more is refused with an exception.
	 */
	private int maxOpen = 1000;

	/**
	 * Most routing keys (patterns) of one subscription; more are refused with an
	 * exception.
	 */
	private int maxRoutingKeys = 100;

	public int getMaxOpen() {
		return this.maxOpen;
	}

	public void setMaxOpen(int maxOpen) {
		this.maxOpen = maxOpen;
	}

	public int getMaxRoutingKeys() {
		return this.maxRoutingKeys;
	}

	public void setMaxRoutingKeys(int maxRoutingKeys) {
		this.maxRoutingKeys = maxRoutingKeys;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getBufferSize() {
		return this.bufferSize;
	}

	public void setBufferSize(int bufferSize) {
		this.bufferSize = bufferSize;
	}

	public OverflowPolicy getOverflow() {
		return this.overflow;
	}

	public void setOverflow(OverflowPolicy overflow) {
		this.overflow = overflow;
	}

}
