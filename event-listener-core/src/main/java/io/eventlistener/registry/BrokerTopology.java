package io.eventlistener.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.rabbitmq.client.Channel;
import io.eventlistener.DeliveryMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.util.Assert;

/**
 * Declares, binds, unbinds and deletes observer queues. Observer queues are durable
 * queues shared by every instance, declared with {@link QueueArguments} (classic by
 * default); exchanges are durable topic exchanges, declared once per process before the
 * first binding. A queue that exists with other arguments is refused by the broker and
 * reported as a {@link QueueArgumentsMismatchException}.
 * <p>
 * One queue at a time goes through Spring AMQP's {@link AmqpAdmin}, one round-trip per
 * declaration (about 2 ms for a queue, 1.5 ms for a binding). Many at once
 * ({@link #declareAll}) are pipelined: each of {@code channels} channels sends its share
 * as no-wait declarations and ends every batch of {@value #BATCH} queues with one
 * round-trip, which the broker answers only after it has processed everything before it
 * on that channel. A declaration the broker refuses closes the channel; that batch is
 * then declared again one by one, so each failure is reported against its own queue and
 * is never lost.
 */
public class BrokerTopology {

	/** Queues declared per round-trip in {@link #declareAll}. */
	public static final int BATCH = 250;

	/** How long a broadcast queue lives without a consumer, unless set otherwise. */
	public static final Duration DEFAULT_BROADCAST_EXPIRY = Duration.ofMinutes(1);

	/** RabbitMQ's single-active-consumer queue argument. */
	public static final String SINGLE_ACTIVE_CONSUMER = "x-single-active-consumer";

	/** RabbitMQ's queue expiry argument: deleted after this long unused, in ms. */
	public static final String EXPIRES = "x-expires";

	private static final Log logger = LogFactory.getLog(BrokerTopology.class);

	private final AmqpAdmin admin;

	private final @Nullable ConnectionFactory connectionFactory;

	private final int channels;

	private final Executor executor;

	private final QueueArguments arguments;

	private final Set<String> declaredExchanges = ConcurrentHashMap.newKeySet();

	private Duration broadcastExpiry = DEFAULT_BROADCAST_EXPIRY;

	/**
	 * A topology that declares everything one round-trip at a time.
	 * @param admin declares
	 */
	public BrokerTopology(AmqpAdmin admin) {
		this(admin, null, 1, Runnable::run, QueueArguments.CLASSIC);
	}

	/**
	 * A topology that pipelines bulk declarations.
	 * @param admin declares single queues, and retries a failed batch one by one
	 * @param connectionFactory opens the channels bulk declarations are pipelined on
	 * @param channels how many channels a bulk declaration uses in parallel
	 * @param executor runs the channels of a bulk declaration but the first (which runs
	 * on the caller's thread); it needs {@code channels - 1} threads for full parallelism
	 */
	public BrokerTopology(AmqpAdmin admin, @Nullable ConnectionFactory connectionFactory, int channels,
			Executor executor) {
		this(admin, connectionFactory, channels, executor, QueueArguments.CLASSIC);
	}

	/**
	 * A topology that pipelines bulk declarations of queues of a given type.
	 * @param admin declares single queues, and retries a failed batch one by one
	 * @param connectionFactory opens the channels bulk declarations are pipelined on
	 * @param channels how many channels a bulk declaration uses in parallel
	 * @param executor runs the channels of a bulk declaration but the first
	 * @param arguments the type and arguments every queue is declared with
	 */
	public BrokerTopology(AmqpAdmin admin, @Nullable ConnectionFactory connectionFactory, int channels,
			Executor executor, QueueArguments arguments) {
		Assert.isTrue(channels > 0, "channels must be positive");
		this.arguments = arguments;
		this.admin = admin;
		this.connectionFactory = connectionFactory;
		this.channels = channels;
		this.executor = executor;
	}

	/**
	 * Set how long a {@link DeliveryMode#BROADCAST broadcast} queue lives without a
	 * consumer before the broker deletes it ({@code x-expires}); one minute by default.
	 * @param broadcastExpiry how long a {@link DeliveryMode#BROADCAST broadcast} queue
	 * lives without a consumer before the broker deletes it ({@code x-expires}); one
	 * minute by default
	 */
	public void setBroadcastExpiry(Duration broadcastExpiry) {
		Assert.isTrue(broadcastExpiry.toMillis() > 0, "The broadcast queue expiry must be positive");
		this.broadcastExpiry = broadcastExpiry;
	}

	/**
	 * Declare a durable, {@link DeliveryMode#POOL pooled} queue and bind it.
	 * @param queue the queue name
	 * @param exchange the topic exchange
	 * @param routingKeys the bindings
	 * @throws QueueArgumentsMismatchException if the queue exists with other arguments
	 */
	public void declare(String queue, String exchange, Collection<String> routingKeys) {
		declare(queue, exchange, routingKeys, DeliveryMode.POOL);
	}

	/**
	 * Declare a durable queue for a delivery mode and bind it.
	 * @param queue the queue name
	 * @param exchange the topic exchange
	 * @param routingKeys the bindings
	 * @param delivery decides the queue's arguments (see {@link #arguments})
	 * @throws QueueArgumentsMismatchException if the queue exists with other arguments,
	 * as when an existing queue's delivery mode changed
	 */
	public void declare(String queue, String exchange, Collection<String> routingKeys, DeliveryMode delivery) {
		Map<String, Object> arguments = arguments(delivery);
		try {
			this.admin.declareQueue(QueueBuilder.durable(queue).withArguments(arguments).build());
		}
		catch (AmqpException ex) {
			throw RabbitUtils.isMismatchedQueueArgs(ex)
					? new QueueArgumentsMismatchException(queue, describe(delivery, arguments), ex) : ex;
		}
		bind(queue, exchange, routingKeys);
	}

	/**
	 * The arguments a queue of a delivery mode is declared with: the queue settings'
	 * ({@link QueueArguments}) for a pooled queue; those and
	 * {@value #SINGLE_ACTIVE_CONSUMER} for an ordered one; a classic queue with
	 * {@value #EXPIRES} for a broadcast one (one per instance: never replicated).
	 * @param delivery the delivery mode
	 * @return the arguments, unmodifiable
	 */
	public Map<String, Object> arguments(DeliveryMode delivery) {
		return switch (delivery) {
			case POOL -> this.arguments.asMap();
			case ORDERED -> {
				Map<String, Object> ordered = new LinkedHashMap<>(this.arguments.asMap());
				ordered.put(SINGLE_ACTIVE_CONSUMER, true);
				yield Collections.unmodifiableMap(ordered);
			}
			case BROADCAST -> Map.of(EXPIRES, this.broadcastExpiry.toMillis());
		};
	}

	/**
	 * Declare and bind many durable queues, pipelined over several channels.
	 * @param declarations the queues, each with its exchange and routing keys
	 * @return the queues that could not be declared or bound, each with its failure (a
	 * {@link QueueArgumentsMismatchException} for a queue that exists with other
	 * arguments); empty when all succeeded
	 */
	public Map<String, Exception> declareAll(List<QueueDeclaration> declarations) {
		if (declarations.isEmpty()) {
			return Map.of();
		}
		declarations.stream()
			.filter((declaration) -> !declaration.routingKeys().isEmpty())
			.map(QueueDeclaration::exchange)
			.distinct()
			.forEach(this::declareExchange);
		if (this.connectionFactory == null || declarations.size() == 1) {
			return declareOneByOne(declarations);
		}
		List<List<QueueDeclaration>> shares = split(declarations, this.channels);
		List<CompletableFuture<Map<String, Exception>>> running = new ArrayList<>();
		for (int i = 1; i < shares.size(); i++) {
			List<QueueDeclaration> share = shares.get(i);
			running.add(CompletableFuture.supplyAsync(() -> pipeline(share), this.executor));
		}
		Map<String, Exception> failures = new LinkedHashMap<>(pipeline(shares.get(0)));
		running.forEach((share) -> failures.putAll(share.join()));
		return failures;
	}

	public void bind(String queue, String exchange, Collection<String> routingKeys) {
		if (!routingKeys.isEmpty()) {
			declareExchange(exchange);
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

	private String describe(DeliveryMode delivery, Map<String, Object> arguments) {
		String type = (delivery == DeliveryMode.BROADCAST) ? "classic" : this.arguments.type().name().toLowerCase();
		return type + " " + arguments + ((delivery != DeliveryMode.POOL) ? ", delivery " + delivery : "");
	}

	private void declareExchange(String exchange) {
		if (this.declaredExchanges.add(exchange)) {
			this.admin.declareExchange(new TopicExchange(exchange, true, false));
		}
	}

	private Map<String, Exception> pipeline(List<QueueDeclaration> share) {
		Map<String, Exception> failures = new LinkedHashMap<>();
		for (int from = 0; from < share.size(); from += BATCH) {
			List<QueueDeclaration> batch = share.subList(from, Math.min(share.size(), from + BATCH));
			try {
				pipelineBatch(batch);
			}
			catch (Exception ex) {
				logger.warn("A pipelined declaration of " + batch.size() + " queues failed (" + ex.getMessage()
						+ "); declaring them one by one to find which");
				failures.putAll(declareOneByOne(batch));
			}
		}
		return failures;
	}

	private void pipelineBatch(List<QueueDeclaration> batch) throws Exception {
		ConnectionFactory connections = this.connectionFactory;
		Assert.state(connections != null, "pipelining needs a connection factory");
		try (Connection connection = connections.createConnection()) {
			Channel channel = connection.createChannel(false);
			// the client's own channel, not Spring's proxy: the proxy opens a new channel
			// when the broker has closed this one, and a refused declaration would pass
			// unnoticed if the broker's close arrived before the closing round-trip
			Channel pipelined = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
			try {
				for (QueueDeclaration declaration : batch) {
					Map<String, Object> arguments = arguments(declaration.delivery());
					pipelined.queueDeclareNoWait(declaration.queue(), true, false, false,
							arguments.isEmpty() ? null : arguments);
					for (String key : declaration.routingKeys()) {
						pipelined.queueBindNoWait(declaration.queue(), declaration.exchange(), key, null);
					}
				}
				// answered only once the broker processed every declaration before it on
				// this channel; a refused one has closed the channel, so this throws
				pipelined.queueDeclarePassive(batch.get(batch.size() - 1).queue());
			}
			finally {
				RabbitUtils.closeChannel(channel);
			}
		}
	}

	private Map<String, Exception> declareOneByOne(List<QueueDeclaration> declarations) {
		Map<String, Exception> failures = new LinkedHashMap<>();
		for (QueueDeclaration declaration : declarations) {
			try {
				declare(declaration.queue(), declaration.exchange(), declaration.routingKeys(), declaration.delivery());
			}
			catch (RuntimeException ex) {
				failures.put(declaration.queue(), ex);
			}
		}
		return failures;
	}

	private static List<List<QueueDeclaration>> split(List<QueueDeclaration> declarations, int parts) {
		int size = Math.max(BATCH / 5, (declarations.size() + parts - 1) / parts);
		List<List<QueueDeclaration>> shares = new ArrayList<>();
		for (int from = 0; from < declarations.size(); from += size) {
			shares.add(declarations.subList(from, Math.min(declarations.size(), from + size)));
		}
		return shares;
	}

	private static Binding binding(String queue, String exchange, String key) {
		return new Binding(queue, Binding.DestinationType.QUEUE, exchange, key, null);
	}

	/**
	 * One queue to declare in bulk.
	 *
	 * @param queue the durable queue's name
	 * @param exchange the topic exchange it is bound to
	 * @param routingKeys its bindings on that exchange
	 * @param delivery decides the queue's arguments
	 */
	public record QueueDeclaration(String queue, String exchange, Collection<String> routingKeys,
			DeliveryMode delivery) {

		/**
		 * A pooled queue.
		 * @param queue the durable queue's name
		 * @param exchange the topic exchange it is bound to
		 * @param routingKeys its bindings on that exchange
		 */
		public QueueDeclaration(String queue, String exchange, Collection<String> routingKeys) {
			this(queue, exchange, routingKeys, DeliveryMode.POOL);
		}

		/**
		 * The queue of a registered observer, as its type's delivery mode declares it.
		 * @param registration the observer
		 * @return its declaration
		 */
		public static QueueDeclaration of(ObserverRegistration registration) {
			return new QueueDeclaration(registration.queueName(), registration.exchange(), registration.routingKeys(),
					registration.type().delivery());
		}

	}

}
