package io.eventlistener.dispatch;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.StarterConnections;
import io.eventlistener.partition.PartitionedConsumers;
import io.eventlistener.partition.Partitioning;
import io.eventlistener.registry.DeliveryModePrefetch;
import io.eventlistener.registry.MonitoredConsumers;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.tracing.BatchTracing;
import io.eventlistener.wire.EventCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Assembles the observer consumers: {@link MultiplexedConsumers} on connections made like
 * the application's, with the prefetch of each queue's delivery mode, batch handlers (and
 * their inbox), stopped in the listener's phase; with {@link Partitioning#DYNAMIC}
 * wrapped in {@link PartitionedConsumers}. The wiring names the parts, this class knows
 * how they fit.
 */
public final class ObserverConsumersBuilder {

	/**
	 * The prefetch when neither {@code event-listener.consumer.prefetch} nor Spring
	 * Boot's direct listener prefetch is set.
	 */
	public static final int DEFAULT_PREFETCH = 250;

	private final Supplier<ObserverRegistry> registry;

	private final Supplier<ObserverHandlers> handlers;

	private final EventCodec codec;

	private @Nullable IntFunction<ConnectionFactory> connections;

	private MultiplexedConsumers.@Nullable Settings settings;

	private MultiplexedConsumers.@Nullable Threads threads;

	private Supplier<? extends Collection<EventQueueBinding>> eventQueues = List::of;

	private int batchSize = 100;

	private Duration batchTimeout = Duration.ofMillis(100);

	private BatchTracing batchTracing = BatchTracing.NONE;

	private @Nullable EventInbox inbox;

	private Supplier<List<DeliveryListener>> listeners = List::of;

	private Partitioning partitioning = Partitioning.NONE;

	/**
	 * Start the consumers.
	 * @param registry gives the registry (asked on first use, as it depends on the
	 * consumers)
	 * @param handlers gives the handlers of batch observers (asked on first use)
	 * @param codec reads batched event bodies
	 */
	public ObserverConsumersBuilder(Supplier<ObserverRegistry> registry, Supplier<ObserverHandlers> handlers,
			EventCodec codec) {
		this.registry = SingletonSupplier.of(registry);
		this.handlers = SingletonSupplier.of(handlers);
		this.codec = codec;
	}

	/**
	 * The prefetch to use: the starter's own setting, else Spring Boot's, else
	 * {@value #DEFAULT_PREFETCH}.
	 * @param own {@code event-listener.consumer.prefetch}, or {@code null}
	 * @param boots {@code spring.rabbitmq.listener.direct.prefetch}, or {@code null}
	 * @return the prefetch
	 */
	public static int prefetch(@Nullable Integer own, @Nullable Integer boots) {
		return (own != null) ? own : (boots != null) ? boots : DEFAULT_PREFETCH;
	}

	/**
	 * Consume on connections of their own, made like the application's.
	 * @param application the application's connection factory (a Spring AMQP
	 * {@link AbstractConnectionFactory})
	 * @param settings the application's connection settings (Boot's configurer)
	 * @param prefix names the connections {@code prefix.consumers#n}
	 * @return this builder
	 */
	public ObserverConsumersBuilder connections(ConnectionFactory application,
			Consumer<CachingConnectionFactory> settings, String prefix) {
		AbstractConnectionFactory template = StarterConnections.template(application, "The event listener's consumers",
				"Define an ObserverConsumers bean to consume another way.");
		this.connections = (index) -> StarterConnections.consuming(template, settings, prefix + ".consumers#" + index);
		return this;
	}

	/** How consumers are spread, acknowledged, restarted and stopped. */
	public ObserverConsumersBuilder settings(MultiplexedConsumers.Settings settings) {
		this.settings = settings;
		return this;
	}

	/** The threads the consumers run on. */
	public ObserverConsumersBuilder threads(MultiplexedConsumers.Threads threads) {
		this.threads = threads;
		return this;
	}

	/** The application's own queues, consumed with prefetch 1 (asked on first use). */
	public ObserverConsumersBuilder eventQueues(Supplier<? extends Collection<EventQueueBinding>> eventQueues) {
		this.eventQueues = eventQueues;
		return this;
	}

	/**
	 * How batch handlers' deliveries are gathered, and the span a batch is handled in.
	 * @param size the most deliveries in a batch
	 * @param timeout how long the first delivery of a batch waits for the others
	 * @param tracing the span a batch is handled in
	 * @return this builder
	 */
	public ObserverConsumersBuilder batches(int size, Duration timeout, BatchTracing tracing) {
		this.batchSize = size;
		this.batchTimeout = timeout;
		this.batchTracing = tracing;
		return this;
	}

	/**
	 * Record handled batches in the inbox and acknowledge their copies unhandled.
	 * @param inbox the inbox, or {@code null} for none
	 * @param listeners who hear of the duplicates (asked once, on the first)
	 * @return this builder
	 */
	public ObserverConsumersBuilder inbox(@Nullable EventInbox inbox, Supplier<List<DeliveryListener>> listeners) {
		this.inbox = inbox;
		this.listeners = listeners;
		return this;
	}

	/** Whether this instance consumes only the queues of its buckets. */
	public ObserverConsumersBuilder partitioning(Partitioning partitioning) {
		this.partitioning = partitioning;
		return this;
	}

	/**
	 * Build the consumers.
	 * @param pipeline gives the delivery pipeline (asked on the first delivery, as it may
	 * depend on these consumers)
	 * @return the consumers
	 */
	public MonitoredConsumers build(Supplier<MultiplexedConsumers.Listener> pipeline) {
		Assert.state(this.connections != null, "connections are required");
		Assert.state(this.settings != null, "settings are required");
		Assert.state(this.threads != null, "threads are required");
		MultiplexedConsumers consumers = new MultiplexedConsumers(this.connections, pipeline, this.settings,
				this.threads);
		consumers.setPrefetch(new DeliveryModePrefetch(this.settings.prefetch(), this.registry, this.eventQueues::get));
		consumers.setBatching(batches(), this.batchSize, this.batchTimeout);
		// stopped in the lifecycle's phase: closing waits for in-flight handlers
		consumers.setPhase(EventListenerLifecycle.PHASE);
		return (this.partitioning == Partitioning.DYNAMIC)
				? new PartitionedConsumers(consumers, (queue) -> this.registry.get().findByQueue(queue)) : consumers;
	}

	private EventBatches batches() {
		EventBatches batches = new EventBatches(this.registry, this.handlers, this.codec);
		batches.setTracing(this.batchTracing);
		Supplier<List<DeliveryListener>> listeners = this.listeners;
		batches.setInbox(this.inbox, SingletonSupplier.of(() -> new DeliveryListeners(listeners.get())));
		return batches;
	}

}
