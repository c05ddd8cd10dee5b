package io.eventlistener.watch;

import io.eventlistener.lifecycle.EventListenerLifecycle;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * This process's subscription to observer changes: the {@link WatcherQueue} and its one
 * consumer. The queue is declared and bound before the active observers are loaded, so
 * that every observer change committed from then on waits in it (subscribe, then read: no
 * change slips between the two), and consumed once they are loaded. The start-up
 * therefore runs in steps:
 * <ol>
 * <li>{@value #PHASE} ({@code EventListenerLifecycle.PHASE - 1}): this subscription
 * declares the watcher queue and its bindings; nothing consumes it yet;
 * <li>{@link EventListenerLifecycle#PHASE}: the active observers are loaded and consumed;
 * once they are (at the end of a blocking start, or when a background load has finished)
 * the listener starts this subscription's consumer ({@link #consumeAfterLoadOf}), which
 * applies the changes that arrived meanwhile, each re-read from the database, so none is
 * applied before, or overwritten by, the initial load.
 * </ol>
 * Stopping runs in the reverse order: the listener stops the consumer before it stops
 * itself, so no change is applied to a stopping registry. Without a listener this
 * subscription starts and stops its consumer itself.
 * <p>
 * The queue is exclusive and auto-delete: the broker drops it with its connection or its
 * consumer, so it needs no removal, and it is declared again on every new connection and
 * before the consumer restarts a consumer whose queue is gone (what a {@code RabbitAdmin}
 * and Spring AMQP's containers do for the queues that are beans).
 */
public class ModelWatcherSubscription implements SmartLifecycle, DisposableBean {

	/** This subscription's phase, just before the listener's. */
	public static final int PHASE = EventListenerLifecycle.PHASE - 1;

	private static final Log logger = LogFactory.getLog(ModelWatcherSubscription.class);

	private final WatcherQueue queue;

	private final AmqpAdmin admin;

	private final DirectMessageListenerContainer consumer;

	private volatile boolean running;

	private volatile boolean declared;

	private boolean autoStartup = true;

	private boolean consumerStartedHere = true;

	/**
	 * Create a new {@code ModelWatcherSubscription}.
	 * @param queue the watcher queue
	 * @param admin declares it
	 * @param connectionFactory the connection the queue is declared and consumed on (it
	 * is exclusive)
	 * @param receiver applies the changes
	 */
	public ModelWatcherSubscription(WatcherQueue queue, AmqpAdmin admin, ConnectionFactory connectionFactory,
			ModelChangeReceiver receiver) {
		this.queue = queue;
		this.admin = admin;
		this.consumer = consumer(connectionFactory, receiver);
		connectionFactory.addConnectionListener((connection) -> {
			if (this.declared) {
				redeclare();
			}
		});
	}

	/**
	 * The consumer: one, so that changes are applied one at a time in the order they
	 * arrived. Not built from {@code spring.rabbitmq.listener.direct.*}: consumer count,
	 * acknowledgement and start-up are not the user's to change here.
	 */
	private DirectMessageListenerContainer consumer(ConnectionFactory connectionFactory, ModelChangeReceiver receiver) {
		DirectMessageListenerContainer container = new DirectMessageListenerContainer(connectionFactory) {

			@Override
			protected synchronized void redeclareElementsIfNecessary() {
				ModelWatcherSubscription subscription = ModelWatcherSubscription.this;
				try {
					if (subscription.admin.getQueueProperties(subscription.queue.name()) == null) {
						subscription.redeclare();
					}
				}
				catch (AmqpException ex) {
					logger.debug("Checking the watcher queue " + subscription.queue.name() + " failed", ex);
				}
			}

		};
		container.setBeanName("modelWatcherContainer");
		container.setQueueNames(this.queue.name());
		container.setConsumersPerQueue(1);
		container.setPrefetchCount(10);
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setDefaultRequeueRejected(false);
		// Spring AMQP's timer would be tagged by this process's own queue name
		container.setMicrometerEnabled(false);
		container.setMessageListener(receiver);
		container.setAutoStartup(false);
		container.afterPropertiesSet();
		return container;
	}

	private void redeclare() {
		try {
			this.queue.redeclare(this.admin);
		}
		catch (AmqpException ex) {
			// the consumer fails on the missing queue and tries again, declaring it first
			logger.debug("Declaring the watcher queue " + this.queue.name() + " again failed", ex);
		}
	}

	/**
	 * Have the listener start this subscription's consumer once the active observers are
	 * loaded, and stop it before the listener stops.
	 * @param lifecycle the listener
	 */
	public void consumeAfterLoadOf(EventListenerLifecycle lifecycle) {
		lifecycle.consumeAfterLoad(this.consumer);
		this.consumerStartedHere = false;
	}

	/**
	 * The watcher queue.
	 * @return the queue
	 */
	public WatcherQueue queue() {
		return this.queue;
	}

	/**
	 * The queue's consumer, started by the listener once the observers are loaded.
	 * @return the container
	 */
	public DirectMessageListenerContainer consumer() {
		return this.consumer;
	}

	/**
	 * Set whether this starts with the application context.
	 * @param autoStartup {@code false} to wait for an explicit start; default
	 * {@code true}
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public void start() {
		this.queue.declare(this.admin);
		this.declared = true;
		this.running = true;
		if (this.consumerStartedHere) {
			this.consumer.start();
		}
	}

	@Override
	public void stop() {
		if (this.consumerStartedHere) {
			this.consumer.stop();
		}
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

	@Override
	public void destroy() {
		this.consumer.destroy();
	}

}
