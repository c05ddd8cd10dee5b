package io.eventlistener.subscription;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

import io.eventlistener.Event;
import io.eventlistener.EventSubscription;
import io.eventlistener.EventSubscription.End;
import io.eventlistener.EventSubscription.Reason;
import io.eventlistener.EventSubscriptions;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.wire.EventCodec;
import io.eventlistener.wire.MalformedMessageException;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * {@link EventSubscriptions} over the process's one {@link SubscriptionQueue}: its
 * consumer decodes each event once, matches its routing key against every open
 * subscription and offers it to the buffers of those that match (which never block).
 * <p>
 * A {@link SmartLifecycle} in phase {@value #PHASE}, stopped before the web server, so
 * that a stream served over HTTP gets its end: stopping stops the consumer, then ends
 * every open subscription with {@link Reason#SHUTDOWN}, after which each delivers what it
 * has buffered and completes. Subscribing after that is refused.
 */
public class BrokerEventSubscriptions implements EventSubscriptions, SmartLifecycle {

	/** The phase: {@code SmartLifecycle.DEFAULT_PHASE - 512}, before the web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/** Open subscriptions allowed unless told otherwise. */
	public static final int DEFAULT_MAX_OPEN = 1_000;

	/** Routing keys per subscription allowed unless told otherwise. */
	public static final int DEFAULT_MAX_ROUTING_KEYS = 100;

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(BrokerEventSubscriptions.class));

	private final SubscriptionQueue queue;

	private final DirectMessageListenerContainer consumer;

	private final EventCodec codec;

	private final int bufferSize;

	private final OverflowPolicy overflow;

	private final Executor executor;

	private final List<BufferedSubscription> open = new CopyOnWriteArrayList<>();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder malformed = new LongAdder();

	private int maxOpen = DEFAULT_MAX_OPEN;

	private int maxRoutingKeys = DEFAULT_MAX_ROUTING_KEYS;

	private final BufferedSubscription.Callbacks callbacks = new BufferedSubscription.Callbacks() {

		@Override
		public void delivered() {
			BrokerEventSubscriptions.this.delivered.increment();
		}

		@Override
		public void dropped() {
			BrokerEventSubscriptions.this.dropped.increment();
		}

		@Override
		public void ended(BufferedSubscription subscription) {
			unsubscribe(subscription);
		}

	};

	private volatile State state = State.NEW;

	/**
	 * Create a new {@code BrokerEventSubscriptions}.
	 * @param connectionFactory the application's connection factory (channel cache mode)
	 * @param queueName the subscription queue's name, unique to this process
	 * @param exchange the events exchange
	 * @param codec decodes event bodies
	 * @param bufferSize how many events each subscription buffers
	 * @param overflow what a full buffer does
	 * @param executor runs the publishers' deliveries
	 */
	public BrokerEventSubscriptions(ConnectionFactory connectionFactory, String queueName, String exchange,
			EventCodec codec, int bufferSize, OverflowPolicy overflow, Executor executor) {
		Assert.isTrue(bufferSize > 0, "The subscription buffer size must be positive");
		this.queue = new SubscriptionQueue(queueName, exchange, connectionFactory);
		this.codec = codec;
		this.bufferSize = bufferSize;
		this.overflow = overflow;
		this.executor = executor;
		this.consumer = new DirectMessageListenerContainer(connectionFactory);
		this.consumer.setQueueNames(queueName);
		this.consumer.setExclusive(true);
		this.consumer.setAcknowledgeMode(AcknowledgeMode.NONE);
		this.consumer.setMessageListener(this::onMessage);
		this.consumer.setAutoStartup(false);
		this.consumer.setMissingQueuesFatal(false);
		this.consumer.afterPropertiesSet();
	}

	/**
	 * Bound the subscriptions: each holds a buffer and binds the subscription queue, so
	 * their number and their keys are bounded as any other resource.
	 * @param maxOpen open subscriptions at once; {@value #DEFAULT_MAX_OPEN} by default
	 * @param maxRoutingKeys routing keys per subscription;
	 * {@value #DEFAULT_MAX_ROUTING_KEYS} by default
	 */
	public void setLimits(int maxOpen, int maxRoutingKeys) {
		Assert.isTrue(maxOpen > 0 && maxRoutingKeys > 0, "The limits must be positive");
		this.maxOpen = maxOpen;
		this.maxRoutingKeys = maxRoutingKeys;
	}

	@Override
	public EventSubscription subscribe(String... routingKeys) {
		Assert.notEmpty(routingKeys, "Subscribe to at least one routing key");
		if (routingKeys.length > this.maxRoutingKeys) {
			throw new IllegalArgumentException("A subscription may have at most " + this.maxRoutingKeys
					+ " routing keys, not " + routingKeys.length
					+ ": use wildcards (* and #), or raise event-listener.subscriptions.max-routing-keys");
		}
		for (String key : routingKeys) {
			Assert.hasText(key, "A routing key must not be blank");
		}
		List<String> keys = Arrays.asList(routingKeys);
		BufferedSubscription subscription = new BufferedSubscription(keys, this.bufferSize, this.overflow,
				this.executor, this.callbacks);
		synchronized (this) {
			if (this.state == State.STOPPED) {
				throw new IllegalStateException("The application is shutting down; no new event subscriptions");
			}
			if (this.open.size() >= this.maxOpen) {
				throw new IllegalStateException("There are " + this.open.size()
						+ " open event subscriptions, the most allowed: close one first, or raise "
						+ "event-listener.subscriptions.max-open");
			}
			this.queue.bind(keys);
			this.open.add(subscription);
			if (this.state == State.RUNNING && !this.consumer.isRunning()) {
				this.consumer.start();
			}
		}
		return subscription;
	}

	@Override
	public List<EventSubscription> openSubscriptions() {
		return List.copyOf(this.open);
	}

	private void unsubscribe(BufferedSubscription subscription) {
		if (this.open.remove(subscription)) {
			this.queue.unbind(subscription.routingKeys());
		}
	}

	void onMessage(Message message) {
		String routingKey = message.getMessageProperties().getReceivedRoutingKey();
		Event event;
		try {
			event = this.codec.read(message.getBody(), routingKey);
		}
		catch (MalformedMessageException ex) {
			this.malformed.increment();
			log.warn(() -> "Ignored a message that is not an event for the subscriptions (routing key '" + routingKey
					+ "'): " + ex.getMessage());
			return;
		}
		for (BufferedSubscription subscription : this.open) {
			if (subscription.matches(event.routingKey())) {
				subscription.offer(event);
			}
		}
	}

	/**
	 * A subscription queue name unique to this process,
	 * {@code {prefix}.subscriptions.{random}}.
	 * @param prefix the queue prefix
	 * @return the name
	 */
	public static String uniqueQueueName(String prefix) {
		return prefix + ".subscriptions." + UUID.randomUUID().toString().replace("-", "");
	}

	/** The subscription queue's name. */
	public String queueName() {
		return this.queue.name();
	}

	/** How many events were handed to subscriptions' readers. */
	public long delivered() {
		return this.delivered.sum();
	}

	/** How many events were dropped from full buffers. */
	public long dropped() {
		return this.dropped.sum();
	}

	/** How many messages were not events and were ignored. */
	public long malformed() {
		return this.malformed.sum();
	}

	/** How many subscriptions are open. */
	public int openCount() {
		return this.open.size();
	}

	@Override
	public synchronized void start() {
		if (this.state == State.NEW) {
			this.state = State.RUNNING;
			if (!this.open.isEmpty()) {
				this.consumer.start();
			}
		}
	}

	@Override
	public void stop() {
		synchronized (this) {
			if (this.state == State.STOPPED) {
				return;
			}
			this.state = State.STOPPED;
		}
		this.consumer.stop();
		End shutdown = new End(Reason.SHUTDOWN, "the application is shutting down");
		for (BufferedSubscription subscription : List.copyOf(this.open)) {
			subscription.end(shutdown, false);
		}
		this.consumer.destroy();
	}

	@Override
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private enum State {

		NEW, RUNNING, STOPPED

	}

}
