package io.eventlistener.watch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.observer.ObserverType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * This process's model-watcher queue, isimud's {@code observer_queue}: exclusive and
 * auto-delete, named {@code {prefix}.listener.{host}.{pid}}, bound to the models exchange
 * with {@code schema.Type.*} for every observer type. Every instance has its own, so
 * every instance hears of every observer change.
 * <p>
 * An exclusive queue belongs to the connection that declared it: it must be declared and
 * consumed on the same connection, which Spring AMQP's {@code CachingConnectionFactory}
 * gives in its default channel cache mode.
 */
public final class WatcherQueue {

	private static final Log logger = LogFactory.getLog(WatcherQueue.class);

	private static final AtomicInteger instancesInThisProcess = new AtomicInteger();

	private final String name;

	private final String exchange;

	private final Set<String> routingKeys;

	/**
	 * Create a new {@code WatcherQueue}.
	 * @param name the queue name
	 * @param exchange the models exchange
	 * @param schema the schema the bindings match
	 * @param types the observer types whose changes the queue receives
	 */
	public WatcherQueue(String name, String exchange, ModelWatcherSchema schema, Collection<ObserverType<?>> types) {
		this.name = name;
		this.exchange = exchange;
		this.routingKeys = new LinkedHashSet<>();
		types.forEach((type) -> this.routingKeys.add(schema.name() + "." + type.name() + ".*"));
	}

	/**
	 * The name isimud gives the queue, {@code {prefix}.listener.{host}.{pid}}. A second
	 * listener in the same process (tests start several) gets {@code .2} appended, and so
	 * on, because two exclusive queues cannot share a name.
	 * @param prefix the queue prefix
	 * @return a name no other listener on the broker uses
	 */
	public static String defaultName(String prefix) {
		int instance = instancesInThisProcess.incrementAndGet();
		String name = prefix + ".listener." + hostName() + "." + ProcessHandle.current().pid();
		return (instance > 1) ? name + "." + instance : name;
	}

	public String name() {
		return this.name;
	}

	public String exchange() {
		return this.exchange;
	}

	/**
	 * The bindings, {@code schema.Type.*} per observer type.
	 * @return the routing keys
	 */
	public Set<String> routingKeys() {
		return Set.copyOf(this.routingKeys);
	}

	/**
	 * The exchange, the queue and its bindings.
	 * @return the declarables
	 */
	public Declarables declarables() {
		Queue queue = QueueBuilder.nonDurable(this.name).exclusive().autoDelete().build();
		TopicExchange exchange = new TopicExchange(this.exchange, true, false);
		List<Declarable> declarables = new ArrayList<>(List.of(exchange, queue));
		this.routingKeys.forEach((key) -> declarables.add(binding(queue, exchange, key)));
		return new Declarables(declarables);
	}

	/**
	 * Declare the queue and bind it, now.
	 * @param admin the admin
	 */
	public void declare(AmqpAdmin admin) {
		redeclare(admin);
		logger.info("Watching observer changes on queue " + this.name + ", bound to exchange " + this.exchange
				+ " with " + this.routingKeys);
	}

	/**
	 * Declare the queue and bind it again, without a log line: after a new connection, or
	 * when the queue went with its consumer.
	 * @param admin the admin
	 */
	void redeclare(AmqpAdmin admin) {
		for (Declarable declarable : declarables().getDeclarables()) {
			if (declarable instanceof TopicExchange topicExchange) {
				admin.declareExchange(topicExchange);
			}
			else if (declarable instanceof Queue queue) {
				admin.declareQueue(queue);
			}
			else if (declarable instanceof Binding binding) {
				admin.declareBinding(binding);
			}
		}
	}

	private static Binding binding(Queue queue, TopicExchange exchange, String key) {
		return BindingBuilder.bind(queue).to(exchange).with(key);
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String host = System.getenv("HOSTNAME");
			return (host != null) ? host : "localhost";
		}
	}

}
