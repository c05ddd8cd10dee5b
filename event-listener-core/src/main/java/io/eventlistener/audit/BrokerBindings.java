package io.eventlistener.audit;

import java.util.List;

/**
 * The bindings the broker holds, as opposed to those this process believes it made: the
 * registry cannot see a binding another application added to one of its queues.
 */
@FunctionalInterface
public interface BrokerBindings {

	/**
	 * The bindings from an exchange to every queue whose name starts with
	 * {@code queuePrefix + "."}; the default exchange's implicit bindings are left out.
	 * @param queuePrefix the observer queue prefix
	 * @return the bindings
	 * @throws IllegalStateException if the broker could not be asked
	 */
	List<QueueBinding> queueBindings(String queuePrefix);

	/**
	 * One binding of a queue.
	 *
	 * @param queue the bound queue
	 * @param exchange the exchange it is bound to
	 * @param routingKey the binding's routing key
	 */
	record QueueBinding(String queue, String exchange, String routingKey) {
	}

}
