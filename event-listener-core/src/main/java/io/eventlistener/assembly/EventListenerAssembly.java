package io.eventlistener.assembly;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.dispatch.DeadLetterQueue;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.dispatch.DeliveryListener;
import io.eventlistener.dispatch.DeliveryPipeline;
import io.eventlistener.dispatch.DeliveryPipelineBuilder;
import io.eventlistener.dispatch.EventReplies;
import io.eventlistener.dispatch.ObserverConsumersBuilder;
import io.eventlistener.dispatch.ObserverHandlers;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.method.EventObserverHandlerPostProcessor;
import io.eventlistener.metrics.ObserverTypeListenerObservationConvention;
import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.partition.MembershipRepository;
import io.eventlistener.partition.PartitionCoordinator;
import io.eventlistener.partition.PartitionListener;
import io.eventlistener.partition.PartitionSettings;
import io.eventlistener.partition.PartitionedConsumers;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.DefaultObserverRegistry;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.ObserverRegistryListener;
import io.eventlistener.wire.EventCodec;
import io.micrometer.observation.ObservationRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.Assert;

/**
 * The listener side, built together from one {@link Builder}, as Spring AMQP's container
 * factories build containers: the loader of the active observers, their handlers, the
 * broker topology, the consumers, the registry, the delivery pipeline with its
 * dead-letter recoverer and queue, and the lifecycle that loads and registers the
 * observers at start-up and starts and stops the consumers. The application's parts are
 * read from its bean factory: {@code EventHandler} beans and handler methods,
 * {@link EventQueueBinding}s, {@link ObserverRegistryListener}s,
 * {@link DeliveryListener}s, and the {@link OutagePause}, {@link EventReplies} and
 * {@link EventInbox} if there are; an application's own {@link DeliveryPipeline} or
 * {@link ObserverConsumers} bean replaces the assembly's. The wiring makes one bean of
 * this and exposes only what others inject; this assembly destroys the consumers it made.
 */
public final class EventListenerAssembly implements SmartInitializingSingleton, DisposableBean {

	private final ObserverTypes types;

	private final QueueNames queueNames;

	private final ActiveObserverLoader loader;

	private final ObserverHandlers handlers;

	private final BrokerTopology topology;

	private final ObserverConsumers consumers;

	private final boolean ownsConsumers;

	private final ObserverRegistry registry;

	private final DeliveryPipeline pipeline;

	private final DeadLetterRecoverer recoverer;

	private final @Nullable DeadLetterQueue deadLetterQueue;

	private final EventListenerLifecycle lifecycle;

	private EventListenerAssembly(Builder builder, ListableBeanFactory beans, ActiveObserverLoader loader,
			BrokerTopology topology, DeadLetterRecoverer recoverer) {
		this.types = builder.types;
		this.queueNames = builder.queueNames;
		this.loader = loader;
		this.topology = topology;
		this.recoverer = recoverer;
		this.deadLetterQueue = builder.deadLetterQueue;
		EventObserverHandlerPostProcessor methods = beans.getBeanProvider(EventObserverHandlerPostProcessor.class)
			.getIfAvailable();
		this.handlers = (methods != null)
				? ObserverHandlers.fromBeanFactory(beans, this.types, () -> methods.handlers(this.types))
				: ObserverHandlers.fromBeanFactory(beans, this.types);
		List<EventQueueBinding> eventQueues = all(beans, EventQueueBinding.class);
		Supplier<List<DeliveryListener>> listeners = () -> all(beans, DeliveryListener.class);
		EventInbox inbox = beans.getBeanProvider(EventInbox.class).getIfAvailable();
		ObserverConsumers own = beans.getBeanProvider(ObserverConsumers.class).getIfAvailable();
		this.ownsConsumers = (own == null);
		this.consumers = (own != null) ? own
				: builder.consumers.apply(new ObserverConsumersBuilder(this::registry, this::handlers, builder.codec))
					.eventQueues(() -> eventQueues)
					.inbox(inbox, listeners)
					.build(this::pipeline);
		this.registry = new DefaultObserverRegistry(this.queueNames, builder.eventsExchange, topology, this.consumers,
				all(beans, ObserverRegistryListener.class));
		DeliveryPipeline ownPipeline = beans.getBeanProvider(DeliveryPipeline.class).getIfAvailable();
		this.pipeline = (ownPipeline != null) ? ownPipeline : builder.pipeline
			.apply(new DeliveryPipelineBuilder(this.registry, this.handlers, builder.codec, builder.errorBudget))
			.recoverer(recoverer, builder.deadLetterQueue != null)
			.eventQueues(eventQueues)
			.listeners(listeners)
			.outagePause(beans.getBeanProvider(OutagePause.class).getIfAvailable())
			.replies(beans.getBeanProvider(EventReplies.class).getIfAvailable())
			.inbox(inbox)
			.observations(builder.observations,
					new ObserverTypeListenerObservationConvention(this.registry, eventQueues))
			.build();
		this.lifecycle = new EventListenerLifecycle(this.types, loader, this.registry, topology, builder.eventsExchange,
				eventQueues, this.consumers);
		this.lifecycle.setAutoStartup(builder.autoStartup);
		this.lifecycle.setBackground(builder.background);
	}

	/**
	 * Start building the listener side.
	 * @param types the observer types
	 * @param queueNames names the observer queues
	 * @param codec reads event bodies
	 * @param errorBudget counts every handler failure
	 * @return the builder
	 */
	public static Builder builder(ObserverTypes types, QueueNames queueNames, EventCodec codec,
			ErrorBudget errorBudget) {
		return new Builder(types, queueNames, codec, errorBudget);
	}

	private static <T> List<T> all(ListableBeanFactory beans, Class<T> type) {
		return beans.getBeanProvider(type).orderedStream().toList();
	}

	/**
	 * The coordinator that keeps the partitioned consumers on this instance's buckets,
	 * with the membership on the application's database; the application's
	 * {@link PartitionListener}s and its {@link Clock} are read from its bean factory.
	 * @param database the application's one database, or {@code null} if there is not
	 * exactly one
	 * @param settings heartbeat, member timeout and moves per round
	 * @param createSchema creates the membership table on that database if it is missing
	 * @param scheduler runs the rounds
	 * @param handovers runs the hand-overs
	 * @param beans the application's bean factory
	 * @return the coordinator
	 * @throws IllegalStateException without one database, or when the consumers are the
	 * application's own (not partitioned)
	 */
	public PartitionCoordinator partitionCoordinator(@Nullable DataSource database, PartitionSettings settings,
			Function<DataSource, Runnable> createSchema, TaskScheduler scheduler, Executor handovers,
			ListableBeanFactory beans) {
		if (!(this.consumers instanceof PartitionedConsumers partitioned) || database == null) {
			throw new IllegalStateException("event-listener.consumer.partitioning=dynamic needs one DataSource (for "
					+ "the membership) and the starter's own consumers (no ObserverConsumers bean of the application's);"
					+ " provide them, or set event-listener.consumer.partitioning=none");
		}
		PartitionCoordinator coordinator = new PartitionCoordinator(
				new MembershipRepository(new JdbcTemplate(database)), this.queueNames.prefix(),
				this.queueNames.instanceId(), settings, partitioned,
				beans.getBeanProvider(Clock.class).getIfAvailable(Clock::systemUTC), createSchema.apply(database),
				scheduler);
		coordinator.setListeners(all(beans, PartitionListener.class));
		coordinator.setHandoverExecutor(handovers);
		return coordinator;
	}

	/** Resolves the handlers once every singleton is created, as a bean of them did. */
	@Override
	public void afterSingletonsInstantiated() {
		this.handlers.afterSingletonsInstantiated();
	}

	/**
	 * Closes the consumers' connections, unless they are the application's bean, and the
	 * recoverer's publisher threads.
	 */
	@Override
	public void destroy() throws Exception {
		if (this.ownsConsumers && this.consumers instanceof DisposableBean disposable) {
			disposable.destroy();
		}
		this.recoverer.destroy();
	}

	public ObserverTypes types() {
		return this.types;
	}

	public QueueNames queueNames() {
		return this.queueNames;
	}

	public ActiveObserverLoader loader() {
		return this.loader;
	}

	public ObserverHandlers handlers() {
		return this.handlers;
	}

	public BrokerTopology topology() {
		return this.topology;
	}

	/** The consumers: the assembly's, or the application's {@code ObserverConsumers}. */
	public ObserverConsumers consumers() {
		return this.consumers;
	}

	public ObserverRegistry registry() {
		return this.registry;
	}

	/** What each delivery goes through: the assembly's, or the application's own. */
	public DeliveryPipeline pipeline() {
		return this.pipeline;
	}

	/** Dead-letters what fails every attempt (or discards it, dead-lettering off). */
	public DeadLetterRecoverer recoverer() {
		return this.recoverer;
	}

	/**
	 * The dead-letter queue, declared on every connection; {@code null} with
	 * dead-lettering off.
	 */
	public @Nullable DeadLetterQueue deadLetterQueue() {
		return this.deadLetterQueue;
	}

	public EventListenerLifecycle lifecycle() {
		return this.lifecycle;
	}

	/**
	 * The settings of an {@link EventListenerAssembly}: each part's own, in one place.
	 */
	public static final class Builder {

		private final ObserverTypes types;

		private final QueueNames queueNames;

		private final EventCodec codec;

		private final ErrorBudget errorBudget;

		private @Nullable EntityManagerFactory entityManagerFactory;

		private @Nullable PlatformTransactionManager transactionManager;

		private int pageSize = 500;

		private @Nullable BrokerTopology topology;

		private String eventsExchange = "events";

		private UnaryOperator<DeliveryPipelineBuilder> pipeline = UnaryOperator.identity();

		private @Nullable DeadLetterRecoverer recoverer;

		private @Nullable DeadLetterQueue deadLetterQueue;

		private @Nullable ObservationRegistry observations;

		private UnaryOperator<ObserverConsumersBuilder> consumers = UnaryOperator.identity();

		private boolean autoStartup = true;

		private @Nullable Executor background;

		private Builder(ObserverTypes types, QueueNames queueNames, EventCodec codec, ErrorBudget errorBudget) {
			this.types = types;
			this.queueNames = queueNames;
			this.codec = codec;
			this.errorBudget = errorBudget;
		}

		/** The queue names the assembly is built with. */
		public QueueNames queueNames() {
			return this.queueNames;
		}

		/**
		 * Load the active observers from JPA, a {@link #pageSize page} at a time.
		 * @param entityManagerFactory reads the observer rows
		 * @param transactionManager each page is read in a transaction of its own
		 * @return this builder
		 */
		public Builder loader(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager) {
			this.entityManagerFactory = entityManagerFactory;
			this.transactionManager = transactionManager;
			return this;
		}

		/** The observer rows the loader reads at a time. */
		public Builder pageSize(int pageSize) {
			this.pageSize = pageSize;
			return this;
		}

		/**
		 * Declare and bind queues with this topology; observers bind to the exchange
		 * unless they name another, and so do the application's own queues.
		 * @param topology declares, binds and deletes queues
		 * @param eventsExchange the events exchange
		 * @return this builder
		 */
		public Builder topology(BrokerTopology topology, String eventsExchange) {
			this.topology = topology;
			this.eventsExchange = eventsExchange;
			return this;
		}

		/**
		 * How deliveries fail: the settings applied to the pipeline (exception handlers,
		 * retry, requeue back-off); the assembly adds the registry, handlers, codec,
		 * error budget, recoverer and the application's parts.
		 * @param settings applies them
		 * @return this builder
		 */
		public Builder pipeline(UnaryOperator<DeliveryPipelineBuilder> settings) {
			this.pipeline = settings;
			return this;
		}

		/**
		 * Where deliveries go that fail every attempt.
		 * @param recoverer dead-letters them, or discards them with dead-lettering off
		 * @param queue the dead-letter queue, declared on every connection, or
		 * {@code null} with dead-lettering off
		 * @return this builder
		 */
		public Builder deadLetters(DeadLetterRecoverer recoverer, @Nullable DeadLetterQueue queue) {
			this.recoverer = recoverer;
			this.deadLetterQueue = queue;
			return this;
		}

		/**
		 * Observe each delivery as a listener container would.
		 * @param observations the registry, or {@code null} for no observations
		 * @return this builder
		 */
		public Builder observations(@Nullable ObservationRegistry observations) {
			this.observations = observations;
			return this;
		}

		/**
		 * How the consumers are made: the settings applied to their builder (connections,
		 * threads, prefetch, batches, partitioning); the assembly adds the registry,
		 * handlers, pipeline, the application's own queues and the inbox.
		 * @param settings applies them
		 * @return this builder
		 */
		public Builder consumers(UnaryOperator<ObserverConsumersBuilder> settings) {
			this.consumers = settings;
			return this;
		}

		/**
		 * How the lifecycle starts.
		 * @param autoStartup whether it starts with the application context
		 * @param background loads the observers on this executor, or {@code null} to load
		 * them in {@code start()}
		 * @return this builder
		 */
		public Builder lifecycle(boolean autoStartup, @Nullable Executor background) {
			this.autoStartup = autoStartup;
			this.background = background;
			return this;
		}

		/**
		 * Build the listener side with the application's parts.
		 * @param beans the application's bean factory
		 * @return the assembly
		 */
		public EventListenerAssembly build(ListableBeanFactory beans) {
			Assert.state(this.entityManagerFactory != null && this.transactionManager != null, "a loader is required");
			Assert.state(this.topology != null, "a topology is required");
			Assert.state(this.recoverer != null, "a recoverer is required");
			return new EventListenerAssembly(this, beans,
					new ActiveObserverLoader(this.entityManagerFactory, this.transactionManager, this.pageSize),
					this.topology, this.recoverer);
		}

	}

}
