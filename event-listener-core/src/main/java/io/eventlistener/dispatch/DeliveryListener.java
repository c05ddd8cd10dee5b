package io.eventlistener.dispatch;

import java.time.Duration;

/**
 * Hears about every delivery the {@link EventDispatcher} handles, for metrics and test
 * support. Every method does nothing by default. They run on the consumer thread, after
 * the handler returned or threw and before the delivery is acknowledged or rejected, so
 * they must be quick and must not throw (an exception is logged and ignored). With
 * retries, {@link #failed} is called for every failed attempt.
 */
public interface DeliveryListener {

	/**
	 * The handler returned normally; the delivery will be acknowledged.
	 * @param delivery the delivery
	 * @param duration how long the handler ran
	 */
	default void handled(EventDelivery delivery, Duration duration) {
	}

	/**
	 * The handler threw; the error policy decides what happens to the delivery.
	 * @param delivery the delivery
	 * @param duration how long the handler ran
	 * @param failure what it threw
	 */
	default void failed(EventDelivery delivery, Duration duration, Exception failure) {
	}

	/**
	 * The handler asked for the delivery to be tried again later
	 * ({@link io.eventlistener.EventRequeueException}); it is not a failure.
	 * @param delivery the delivery
	 * @param duration how long the handler ran
	 */
	default void requeued(EventDelivery delivery, Duration duration) {
	}

	/**
	 * The handler rejected the delivery
	 * ({@link io.eventlistener.EventRejectedException}); it is dead-lettered at once
	 * ({@link #gaveUp} follows).
	 * @param delivery the delivery
	 * @param duration how long the handler ran
	 */
	default void rejected(EventDelivery delivery, Duration duration) {
	}

	/**
	 * The handler's filter did not match: the delivery is acknowledged and the handler
	 * not called.
	 * @param delivery the delivery
	 */
	default void filtered(EventDelivery delivery) {
	}

	/**
	 * The inbox had recorded the delivery as handled already (a redelivery, or a second
	 * copy): it is acknowledged and the handler not called.
	 * @param delivery the delivery
	 */
	default void duplicate(EventDelivery delivery) {
	}

	/**
	 * A delivery is tried no more: it failed every attempt the error policy allows, or it
	 * was malformed. It has been dead-lettered, or discarded when dead-lettering is off.
	 * @param queue the queue it came from
	 * @param deadLettered {@code true} if it was dead-lettered, {@code false} if
	 * discarded
	 */
	default void gaveUp(String queue, boolean deadLettered) {
	}

	/**
	 * A body on a queue was not an event and was rejected before any handler ran.
	 * @param queue the queue it came from
	 * @param reason why it was rejected
	 */
	default void malformed(String queue, String reason) {
	}

}
