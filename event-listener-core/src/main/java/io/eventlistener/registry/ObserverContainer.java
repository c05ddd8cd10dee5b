package io.eventlistener.registry;

import com.rabbitmq.client.Channel;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.ConsumeOkEvent;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The {@link DirectMessageListenerContainer} of a consumer shard. It tells its
 * {@link ConsumerEvents} when a queue's consumer started, was lost (cancelled by the
 * broker because its queue was deleted, its channel closed, or it could not start because
 * the queue is missing) and when a consumer it was asked to stop has gone, so that a lost
 * queue can be declared again and a cancel can wait for in-flight handlers.
 * <p>
 * Spring AMQP's container reports those moments only as ERROR lines (a deleted queue is
 * "Consumer canceled - queue deleted?", a delivery returned at shutdown a WARN with the
 * whole message and an INFO with a stack trace). Here they are routine, so they are
 * reported by the event listener in its own words, once and rate-limited, and the
 * container's own logger, {@code io.eventlistener.registry.ObserverContainer}, is
 * switched off by default
 * ({@code logging.level.io.eventlistener.registry.ObserverContainer} brings it back).
 */
public class ObserverContainer extends DirectMessageListenerContainer {

	private final RateLimitedLog returnedAtStop = new RateLimitedLog(LogFactory.getLog(ObserverConsumers.class));

	private volatile @Nullable ConsumerEvents events;

	/**
	 * Set who hears about the consumers of this container's queues.
	 * @param events hears about the consumers of this container's queues
	 */
	public void setConsumerEvents(ConsumerEvents events) {
		this.events = events;
	}

	@Override
	protected void publishConsumerFailedEvent(@Nullable String reason, boolean fatal, @Nullable Throwable t) {
		super.publishConsumerFailedEvent(reason, fatal, t);
		String queue = queueOf(reason);
		ConsumerEvents events = this.events;
		if (events != null && queue != null) {
			// "Consumer SimpleConsumer [queue=...] canceled" is the broker's basic.cancel
			events.lost(queue, reason != null && reason.endsWith("] canceled"));
		}
	}

	@Override
	protected void publishMissingQueueEvent(String queue) {
		super.publishMissingQueueEvent(queue);
		ConsumerEvents events = this.events;
		if (events != null) {
			events.lost(queue, true);
		}
	}

	@Override
	protected void consumerRemoved(SimpleConsumer consumer) {
		super.consumerRemoved(consumer);
		Channel channel = consumer.getChannel();
		String queue = queueOf(consumer.toString());
		ConsumerEvents events = this.events;
		// called once when cancelling and once when the channel is closed: only the
		// second means its deliveries are handled or back in the queue
		if (events != null && queue != null && (channel == null || !channel.isOpen())) {
			events.stopped(queue);
		}
	}

	@Override
	protected @Nullable ApplicationEventPublisher getApplicationEventPublisher() {
		ApplicationEventPublisher publisher = super.getApplicationEventPublisher();
		return (event) -> {
			ConsumerEvents events = this.events;
			if (event instanceof ConsumeOkEvent consumeOk && events != null) {
				events.consumed(consumeOk.getQueue());
			}
			if (publisher != null) {
				publisher.publishEvent(event);
			}
		};
	}

	/**
	 * Stop, then log how many prefetched deliveries were returned beyond those logged.
	 */
	@Override
	public void stop(Runnable callback) {
		super.stop(() -> {
			this.returnedAtStop.flush();
			callback.run();
		});
	}

	@Override
	public void stop() {
		super.stop();
		this.returnedAtStop.flush();
	}

	@Override
	protected void executeListener(Channel channel, Object data) {
		if (!isRunning() && data instanceof Message message) {
			this.returnedAtStop.info(() -> "Returned a prefetched delivery to queue "
					+ message.getMessageProperties().getConsumerQueue() + ": the listener is stopping");
		}
		super.executeListener(channel, data);
	}

	/**
	 * The queue named in a consumer's description, {@code SimpleConsumer [queue=...,
	 * index=...]}: the container exposes no other way to tell which queue an event is
	 * about.
	 */
	static @Nullable String queueOf(@Nullable String consumer) {
		if (consumer == null) {
			return null;
		}
		int start = consumer.indexOf("[queue=");
		int end = consumer.indexOf(", index=", start);
		return (start >= 0 && end > start) ? consumer.substring(start + "[queue=".length(), end) : null;
	}

	/**
	 * Hears about the consumers of an {@link ObserverContainer}'s queues. Called on the
	 * container's and the connection's threads: must not block.
	 */
	public interface ConsumerEvents {

		/**
		 * The broker confirmed a consumer of a queue.
		 * @param queue the queue
		 */
		void consumed(String queue);

		/**
		 * A queue's consumer is gone without being asked to stop; the container tries to
		 * start it again.
		 * @param queue the queue
		 * @param queueMissing whether the queue is gone (the broker cancelled the
		 * consumer, or a passive declaration failed) rather than the channel closed
		 */
		void lost(String queue, boolean queueMissing);

		/**
		 * A consumer has stopped and its channel is closed.
		 * @param queue the queue
		 */
		void stopped(String queue);

	}

}
