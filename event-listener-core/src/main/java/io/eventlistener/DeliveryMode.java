package io.eventlistener;

/**
 * How the events of an observer type (or of an application queue) are spread over the
 * running instances of the application: nameko's handler types. Chosen per type with
 * {@link Delivery @Delivery} or the {@code event-listener.delivery.observers.<type>}
 * setting (which wins). <pre>
 *  POOL       [app.subscription.1] ──┬──▶ instance A     one durable queue per observer,
 *                                    └──▶ instance B     competing consumers: once in all
 *
 *  BROADCAST  [app.subscription.1.A] ───▶ instance A     one queue per observer per instance
 *             [app.subscription.1.B] ───▶ instance B     (x-expires): every instance, each
 *
 *  ORDERED    [app.subscription.1] ──┬──▶ instance A (active)   single active consumer:
 *                                    └╌╌▶ instance B (standby)  one at a time, broker order
 * </pre>
 */
public enum DeliveryMode {

	/**
	 * The default, as isimud: one durable queue per observer shared by every instance;
	 * each event is handled once, by whichever instance takes it, several at a time.
	 */
	POOL,

	/**
	 * Every running instance handles every event: each instance declares a queue of its
	 * own per observer ({@code {observer queue}.{instance id}}), bound with the
	 * observer's routing keys, which the broker deletes once it has had no consumer for
	 * {@code event-listener.delivery.broadcast-queue-expiry}. Events published while an
	 * instance is down are lost to it, unless it comes back with the same
	 * {@code event-listener.delivery.instance-id} within the expiry. For caches and
	 * in-memory projections.
	 */
	BROADCAST,

	/**
	 * Events are handled one at a time, in the order the broker holds them, by one
	 * instance at a time: the observer's durable queue is declared with RabbitMQ's
	 * {@code x-single-active-consumer}, so another instance's consumer takes over when
	 * the active one's connection dies. What the dead one had received but not
	 * acknowledged is delivered again, first, flagged as redelivered
	 * ({@link CurrentDelivery#isRedelivered()}). A failed event is retried in place and
	 * dead-lettered after the last attempt; the next one follows.
	 */
	ORDERED

}
