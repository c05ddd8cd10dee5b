package io.eventlistener.autoconfigure;

import java.util.concurrent.Executor;

import io.eventlistener.subscription.BrokerEventSubscriptions;
import io.eventlistener.subscription.OverflowPolicy;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
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

	/**
	 * The subscriptions: one exclusive queue, its buffer and overflow policy, and the
	 * limits on open subscriptions and routing keys.
	 * @param connectionFactory the application's connection
	 * @param queuePrefix the queue's prefix; a unique suffix is added
	 * @param exchange the events exchange the queue is bound to
	 * @param codec reads event bodies
	 * @param executor delivers events to the subscribers
	 * @return the subscriptions
	 */
	BrokerEventSubscriptions subscriptions(ConnectionFactory connectionFactory, String queuePrefix, String exchange,
			EventCodec codec, Executor executor) {
		BrokerEventSubscriptions subscriptions = new BrokerEventSubscriptions(connectionFactory,
				BrokerEventSubscriptions.uniqueQueueName(queuePrefix), exchange, codec, this.bufferSize, this.overflow,
				executor);
		subscriptions.setLimits(this.maxOpen, this.maxRoutingKeys);
		return subscriptions;
	}

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
