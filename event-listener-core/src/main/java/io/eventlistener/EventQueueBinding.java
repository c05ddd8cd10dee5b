package io.eventlistener;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A queue of the application's own, bound to routing keys and consumed with a handler,
 * with no observer entity behind it (isimud's {@code bind_event_queues} hook). Declare it
 * as a bean:
 *
 * <pre class="code">
 * &#64;Bean
 * EventQueueBinding auditTrail(AuditLog log) {
 *     return EventQueueBinding.of("billing.audit", List.of("#.Invoice.*"), log::record);
 * }
 * </pre>
 *
 * The queue is durable, declared under the exact name given, and consumed by the same
 * consumers and with the same error policy as observer queues. Its {@link DeliveryMode}
 * is {@link DeliveryMode#POOL} unless {@link #withDelivery} says otherwise; a
 * {@link DeliveryMode#BROADCAST broadcast} binding is declared by each instance as
 * {@code {queueName}.{instance id}}, which the starter puts in its place at start-up.
 *
 * @param queueName the queue's name
 * @param exchange the exchange to bind to, or {@code null} for the events exchange
 * @param routingKeys the bindings
 * @param handler handles its events
 * @param delivery how its events are spread over the running instances
 */
public record EventQueueBinding(String queueName, @Nullable String exchange, Set<String> routingKeys,
		EventQueueHandler handler, DeliveryMode delivery) {

	public EventQueueBinding {
		Assert.hasText(queueName, "Queue name must not be empty");
		routingKeys = Set.copyOf(routingKeys);
	}

	/**
	 * A pooled queue.
	 * @param queueName the queue's name
	 * @param exchange the exchange to bind to, or {@code null} for the events exchange
	 * @param routingKeys the bindings
	 * @param handler handles its events
	 */
	public EventQueueBinding(String queueName, @Nullable String exchange, Set<String> routingKeys,
			EventQueueHandler handler) {
		this(queueName, exchange, routingKeys, handler, DeliveryMode.POOL);
	}

	/**
	 * A queue bound to the events exchange.
	 * @param queueName the queue's name
	 * @param routingKeys the bindings
	 * @param handler handles its events
	 * @return the binding
	 */
	public static EventQueueBinding of(String queueName, List<String> routingKeys, EventQueueHandler handler) {
		return new EventQueueBinding(queueName, null, Set.copyOf(routingKeys), handler);
	}

	/**
	 * The same binding on another exchange.
	 * @param exchange a topic exchange
	 * @return a new binding
	 */
	public EventQueueBinding onExchange(String exchange) {
		return new EventQueueBinding(this.queueName, exchange, this.routingKeys, this.handler, this.delivery);
	}

	/**
	 * The same binding with another delivery mode.
	 * @param delivery how its events are spread over the running instances
	 * @return a new binding
	 */
	public EventQueueBinding withDelivery(DeliveryMode delivery) {
		return new EventQueueBinding(this.queueName, this.exchange, this.routingKeys, this.handler, delivery);
	}

	/**
	 * The same binding under another queue name.
	 * @param queueName the queue's name
	 * @return a new binding
	 */
	public EventQueueBinding withQueueName(String queueName) {
		return new EventQueueBinding(queueName, this.exchange, this.routingKeys, this.handler, this.delivery);
	}

}
