package io.eventlistener.watch;

import io.eventlistener.lifecycle.EventListenerLifecycle;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.SmartLifecycle;

/**
 * The first step of the listener's start: declare and bind the {@link WatcherQueue}
 * before the active observers are loaded, so that every observer change committed from
 * then on waits in it (subscribe, then read: no change slips between the two). The
 * start-up therefore runs in three phases:
 * <ol>
 * <li>{@value #PHASE} ({@code EventListenerLifecycle.PHASE - 1}): this subscription
 * declares the watcher queue and its bindings; nothing consumes it yet;
 * <li>{@link EventListenerLifecycle#PHASE}: the active observers are loaded and consumed;
 * <li>{@value #CONSUMER_PHASE} ({@code EventListenerLifecycle.PHASE + 1}): the watcher
 * queue's container starts and applies the changes that arrived meanwhile, each re-read
 * from the database, so none is applied before, or overwritten by, the initial load.
 * </ol>
 * Stopping runs in the reverse order. The queue needs no removal: it is auto-delete and
 * exclusive, so the broker drops it with its consumer or its connection.
 */
public class ModelWatcherSubscription implements SmartLifecycle {

	/** This subscription's phase, just before the listener's. */
	public static final int PHASE = EventListenerLifecycle.PHASE - 1;

	/** The phase of the watcher queue's container, just after the listener's. */
	public static final int CONSUMER_PHASE = EventListenerLifecycle.PHASE + 1;

	private final WatcherQueue queue;

	private final AmqpAdmin admin;

	private volatile boolean running;

	private boolean autoStartup = true;

	public ModelWatcherSubscription(WatcherQueue queue, AmqpAdmin admin) {
		this.queue = queue;
		this.admin = admin;
	}

	/**
	 * Set whether this starts with the application context.
	 * @param autoStartup {@code false} to wait for an explicit start; default
	 * {@code true}
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * The watcher queue's consumer: one consumer, so that changes are applied one at a
	 * time in the order they arrived; started in {@link #CONSUMER_PHASE}, after the
	 * active observers are loaded. Not built from
	 * {@code spring.rabbitmq.listener.direct.*}: consumer count, acknowledgement and
	 * start-up are not the user's to change here.
	 * @param connectionFactory the connection the queue is declared on (it is exclusive)
	 * @param queue the watcher queue
	 * @param receiver applies the changes
	 * @return the container, not started
	 */
	public static DirectMessageListenerContainer consumer(ConnectionFactory connectionFactory, WatcherQueue queue,
			ModelChangeReceiver receiver) {
		DirectMessageListenerContainer container = new DirectMessageListenerContainer(connectionFactory);
		container.setQueueNames(queue.name());
		container.setConsumersPerQueue(1);
		container.setPrefetchCount(10);
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setDefaultRequeueRejected(false);
		// Spring AMQP's timer would be tagged by this process's own queue name
		container.setMicrometerEnabled(false);
		container.setMessageListener(receiver);
		container.setPhase(CONSUMER_PHASE);
		return container;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public void start() {
		this.queue.declare(this.admin);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
