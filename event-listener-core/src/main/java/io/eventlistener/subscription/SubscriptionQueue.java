package io.eventlistener.subscription;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The process's one subscription queue and its bindings to the events exchange, one per
 * distinct routing key however many subscriptions use it (counted).
 *
 * <pre>
 * events exchange ──model.Invoice.#──┐
 *                 ──alert.*─────────┼─▶ {prefix}.subscriptions.{random}  (exclusive)
 *                 ──…───────────────┘      └─▶ one consumer ─▶ match ─▶ buffers
 * </pre>
 *
 * The queue is exclusive, so the broker deletes it when the connection closes; it is not
 * auto-delete, so a consumer restarted on the same connection finds it again. Every new
 * connection (a reconnect) gets the queue and the current bindings declared again before
 * anyone consumes on it. It needs the connection factory's default channel cache mode:
 * declaring and consuming share one connection.
 */
final class SubscriptionQueue implements ConnectionListener {

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(SubscriptionQueue.class));

	private final String name;

	private final String exchange;

	private final RabbitTemplate template;

	private final Map<String, Integer> bindings = new LinkedHashMap<>();

	private boolean declared;

	SubscriptionQueue(String name, String exchange, ConnectionFactory connectionFactory) {
		this.name = name;
		this.exchange = exchange;
		this.template = new RabbitTemplate(connectionFactory);
		connectionFactory.addConnectionListener(this);
	}

	String name() {
		return this.name;
	}

	/**
	 * Bind the routing keys that no open subscription uses yet, declaring the queue first
	 * if it is not there.
	 * @param routingKeys a new subscription's routing keys
	 */
	synchronized void bind(List<String> routingKeys) {
		List<String> added = routingKeys.stream().distinct().filter((key) -> !this.bindings.containsKey(key)).toList();
		boolean declare = !this.declared;
		this.template.execute((channel) -> {
			if (declare) {
				declareQueue(channel);
			}
			for (String key : added) {
				channel.queueBind(this.name, this.exchange, key);
			}
			return null;
		});
		this.declared = true;
		routingKeys.stream().distinct().forEach((key) -> this.bindings.merge(key, 1, Integer::sum));
	}

	/**
	 * Unbind the routing keys that no open subscription uses any more.
	 * @param routingKeys a closed subscription's routing keys
	 */
	synchronized void unbind(List<String> routingKeys) {
		List<String> removed = routingKeys.stream()
			.distinct()
			.filter((key) -> this.bindings.computeIfPresent(key,
					(unused, count) -> (count > 1) ? count - 1 : null) == null)
			.toList();
		if (removed.isEmpty()) {
			return;
		}
		try {
			this.template.execute((channel) -> {
				for (String key : removed) {
					channel.queueUnbind(this.name, this.exchange, key);
				}
				return null;
			});
		}
		catch (RuntimeException ex) {
			// the broker keeps a binding no subscription matches; the consumer ignores
			// what it routes, and a reconnect declares only the bindings in use
			log.warn(() -> "Could not unbind " + removed + " from subscription queue " + this.name + ": " + ex);
		}
	}

	synchronized Map<String, Integer> bindings() {
		return Map.copyOf(this.bindings);
	}

	/**
	 * A new connection, the first or after a reconnect: the exclusive queue went with the
	 * old one, so declare it and the bindings in use before the consumer comes back.
	 */
	@Override
	public synchronized void onCreate(Connection connection) {
		if (!this.declared) {
			return;
		}
		try (Channel channel = connection.createChannel(false)) {
			declareQueue(channel);
			for (String key : this.bindings.keySet()) {
				channel.queueBind(this.name, this.exchange, key);
			}
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			log.warn(() -> "Could not declare subscription queue " + this.name + " again after a reconnect: " + ex
					+ "; its consumer retries");
		}
	}

	private void declareQueue(Channel channel) throws IOException {
		channel.exchangeDeclare(this.exchange, "topic", true);
		channel.queueDeclare(this.name, false, true, false, null);
	}

}
