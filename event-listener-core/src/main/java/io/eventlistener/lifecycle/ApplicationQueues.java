package io.eventlistener.lifecycle;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.QueueArgumentsMismatchException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Declares the application's own {@link EventQueueBinding} queues and their bindings, at
 * start-up and again after a reconnect. A queue that exists with other arguments
 * ({@link QueueArgumentsMismatchException}) is reported and skipped, as for observers:
 * the others go on, that one waits for an operator.
 */
final class ApplicationQueues {

	private static final Log logger = LogFactory.getLog(ApplicationQueues.class);

	private final BrokerTopology topology;

	private final String eventsExchange;

	private final List<EventQueueBinding> bindings;

	/**
	 * Create a new {@code ApplicationQueues}.
	 * @param topology declares queues and bindings
	 * @param eventsExchange the exchange a binding binds to unless it names another
	 * @param bindings the application's queues
	 */
	ApplicationQueues(BrokerTopology topology, String eventsExchange, List<EventQueueBinding> bindings) {
		this.topology = topology;
		this.eventsExchange = eventsExchange;
		this.bindings = List.copyOf(bindings);
	}

	/**
	 * Declare every queue and its bindings.
	 * @param declared given the name of each queue that was declared
	 */
	void declareAll(Consumer<String> declared) {
		for (EventQueueBinding binding : this.bindings) {
			try {
				this.topology.declare(binding.queueName(),
						Objects.requireNonNullElse(binding.exchange(), this.eventsExchange), binding.routingKeys(),
						binding.delivery());
			}
			catch (QueueArgumentsMismatchException ex) {
				logger.error("Application queue " + binding.queueName() + " is not consumed: " + ex.getMessage());
				continue;
			}
			declared.accept(binding.queueName());
		}
	}

}
