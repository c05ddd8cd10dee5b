package io.eventlistener.dispatch;

import java.util.List;

import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.QueueArguments;
import io.eventlistener.registry.QueueArgumentsMismatchException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Declares the dead-letter exchange and the durable queue bound to it with {@code #},
 * whenever a connection to the broker is made (as Spring AMQP's {@code RabbitAdmin} does
 * for declarables). It goes through {@link BrokerTopology} rather than a
 * {@code RabbitAdmin} declarable: a dead-letter queue that exists with other arguments
 * (its type changed across a deploy) is then reported once, with the fix, and refuses
 * nothing else; a refused declarable would fail every new connection. Dead letters still
 * reach the queue as it is.
 */
public final class DeadLetterQueue implements ConnectionListener {

	private static final Log logger = LogFactory.getLog(DeadLetterQueue.class);

	private final BrokerTopology topology;

	private final String queue;

	private final String exchange;

	private volatile boolean mismatchReported;

	/**
	 * Create a new {@code DeadLetterQueue}.
	 * @param topology declares with the dead-letter queue's arguments
	 * @param queue the dead-letter queue
	 * @param exchange the dead-letter topic exchange
	 */
	public DeadLetterQueue(BrokerTopology topology, String queue, String exchange) {
		this.topology = topology;
		this.queue = queue;
		this.exchange = exchange;
	}

	/**
	 * A dead-letter queue declared on every connection the factory makes, one round-trip
	 * at a time.
	 * @param connectionFactory the application's connections
	 * @param admin declares
	 * @param arguments the queue's type and limits
	 * @param queue the dead-letter queue
	 * @param exchange the dead-letter topic exchange
	 * @return the queue, listening to the factory's connections
	 */
	public static DeadLetterQueue onEveryConnection(ConnectionFactory connectionFactory, AmqpAdmin admin,
			QueueArguments arguments, String queue, String exchange) {
		DeadLetterQueue deadLetters = new DeadLetterQueue(new BrokerTopology(admin, null, 1, Runnable::run, arguments),
				queue, exchange);
		connectionFactory.addConnectionListener(deadLetters);
		return deadLetters;
	}

	@Override
	public void onCreate(Connection connection) {
		declare();
	}

	/**
	 * Declare the exchange, the queue and its binding; a failure is logged, never thrown,
	 * so it cannot keep a connection from being made.
	 */
	public void declare() {
		try {
			this.topology.reset();
			this.topology.declare(this.queue, this.exchange, List.of("#"));
		}
		catch (QueueArgumentsMismatchException ex) {
			if (!this.mismatchReported) {
				this.mismatchReported = true;
				logger.error(
						"Dead-letter queue not re-declared, dead letters still go to it as it is: " + ex.getMessage());
			}
			this.topology.bind(this.queue, this.exchange, List.of("#"));
		}
		catch (AmqpException ex) {
			logger.warn("Could not declare the dead-letter queue " + this.queue + " (declared again on the next "
					+ "connection): " + ex);
		}
	}

}
