package io.eventlistener.registry;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * Declares, binds, unbinds and deletes observer queues through Spring AMQP's
 * {@link AmqpAdmin}. Observer queues are durable and shared by every instance; exchanges
 * are durable topic exchanges, declared once per process before the first binding.
 */
public class BrokerTopology {

	private final AmqpAdmin admin;

	private final Set<String> declaredExchanges = ConcurrentHashMap.newKeySet();

	public BrokerTopology(AmqpAdmin admin) {
		this.admin = admin;
	}

	/**
	 * Declare a durable queue and bind it.
	 * @param queue the queue name
	 * @param exchange the topic exchange
	 * @param routingKeys the bindings
	 */
	public void declare(String queue, String exchange, Collection<String> routingKeys) {
		this.admin.declareQueue(QueueBuilder.durable(queue).build());
		bind(queue, exchange, routingKeys);
	}

	public void bind(String queue, String exchange, Collection<String> routingKeys) {
		if (!routingKeys.isEmpty() && this.declaredExchanges.add(exchange)) {
			this.admin.declareExchange(new TopicExchange(exchange, true, false));
		}
		routingKeys.forEach((key) -> this.admin.declareBinding(binding(queue, exchange, key)));
	}

	public void unbind(String queue, String exchange, Collection<String> routingKeys) {
		routingKeys.forEach((key) -> this.admin.removeBinding(binding(queue, exchange, key)));
	}

	/**
	 * Delete a queue and the messages in it. {@link AmqpAdmin#deleteQueue(String)}
	 * reports a failure only as {@code false}; a queue left behind would keep its
	 * bindings and collect messages forever, so a failure is retried once and then
	 * thrown.
	 * @param queue the queue name
	 * @throws AmqpException if the broker did not delete it
	 */
	public void delete(String queue) {
		if (!this.admin.deleteQueue(queue) && !this.admin.deleteQueue(queue)) {
			throw new AmqpIOException("Could not delete queue " + queue,
					new java.io.IOException("queue.delete failed"));
		}
	}

	/**
	 * Forget which exchanges were declared, so they are declared again (after the broker
	 * lost them).
	 */
	public void reset() {
		this.declaredExchanges.clear();
	}

	private static Binding binding(String queue, String exchange, String key) {
		return new Binding(queue, Binding.DestinationType.QUEUE, exchange, key, null);
	}

}
