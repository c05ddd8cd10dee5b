package io.eventlistener.assembly;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.RegistryRecovery;
import io.eventlistener.registry.MonitoredConsumers;
import io.eventlistener.watch.HibernateModelWatcher;
import io.eventlistener.watch.ModelChangePublisher;
import io.eventlistener.watch.ModelChangeReceiver;
import io.eventlistener.watch.ModelWatcherListener;
import io.eventlistener.watch.ModelWatcherSchema;
import io.eventlistener.watch.ModelWatcherSubscription;
import io.eventlistener.watch.ObserverQueueDeclarer;
import io.eventlistener.watch.ObserverSynchronizer;
import io.eventlistener.watch.WatcherQueue;
import io.eventlistener.wire.ModelChangeCodec;
import jakarta.persistence.EntityManagerFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;

/**
 * The model watcher's listening side, built together from one {@link Builder} on an
 * {@link EventListenerAssembly}: the {@link ObserverSynchronizer} that applies observer
 * changes to the registry (and declares again a queue deleted behind the listener's
 * back), the {@link RegistryRecovery} that resynchronises periodically and after every
 * reconnect, and, where this process consumes model-watcher messages, the
 * {@link ModelWatcherSubscription}: the watcher queue and its one consumer, started once
 * the observers are loaded. The application's {@link EventQueueBinding}s and
 * {@link ModelWatcherListener}s and its {@link Clock} are read from its bean factory when
 * the assembly is built. The assembly is the recovery's lifecycle (its phase, after the
 * listener's); the subscription keeps a start phase of its own, before the listener's, so
 * the wiring exposes it to the context.
 */
public final class ModelWatcherAssembly implements SmartLifecycle {

	private final ObserverSynchronizer synchronizer;

	private final RegistryRecovery recovery;

	private final @Nullable ModelWatcherSubscription subscription;

	private ModelWatcherAssembly(Builder builder, Recovery settings, ListableBeanFactory beans) {
		EventListenerAssembly listener = builder.listener;
		List<ModelWatcherListener> listeners = beans.getBeanProvider(ModelWatcherListener.class)
			.orderedStream()
			.toList();
		this.synchronizer = new ObserverSynchronizer(listener.types(), listener.loader(), listener.registry(),
				listener.queueNames(), listener.topology(), builder.deleteQueuesOfDeletedRows, listeners);
		// a queue deleted behind the listener's back is declared again while its row is
		// active, or its observer unregistered
		if (listener.consumers() instanceof MonitoredConsumers consumers) {
			consumers.setLostQueueHandler(this.synchronizer::recoverLostQueue);
		}
		this.recovery = new RegistryRecovery(listener.registry(), listener.topology(),
				beans.getBeanProvider(EventQueueBinding.class).orderedStream().toList(), builder.eventsExchange,
				this.synchronizer::synchronize, settings.errorBudget(), builder.resyncInterval, settings.scheduler());
		this.recovery.setAutoStartup(builder.autoStartup);
		this.recovery.finishFailedLoadsOf(listener.lifecycle());
		settings.connections().addConnectionListener(this.recovery);
		this.subscription = (builder.admin != null) ? subscription(builder, builder.admin, settings, listeners,
				beans.getBeanProvider(Clock.class).getIfAvailable(Clock::systemUTC)) : null;
	}

	private ModelWatcherSubscription subscription(Builder builder, AmqpAdmin admin, Recovery settings,
			List<ModelWatcherListener> listeners, Clock clock) {
		EventListenerAssembly listener = builder.listener;
		ModelChangeReceiver receiver = new ModelChangeReceiver(listener.types(), this.synchronizer,
				new ModelChangeCodec(), builder.schema, builder.maxPayloadSize, listeners);
		receiver.setCoalescing(builder.coalesceInterval, settings.scheduler(), clock);
		ModelWatcherSubscription subscription = new ModelWatcherSubscription(
				new WatcherQueue(WatcherQueue.defaultName(listener.queueNames().prefix()), builder.modelsExchange,
						builder.schema, listener.types().all()),
				admin, settings.connections(), receiver);
		subscription.setAutoStartup(builder.autoStartup);
		subscription.consumeAfterLoadOf(listener.lifecycle());
		return subscription;
	}

	/** Starts the recovery: periodic resyncs, and resyncs after every reconnect. */
	@Override
	public void start() {
		this.recovery.start();
	}

	@Override
	public void stop() {
		this.recovery.stop();
	}

	@Override
	public boolean isRunning() {
		return this.recovery.isRunning();
	}

	@Override
	public boolean isAutoStartup() {
		return this.recovery.isAutoStartup();
	}

	/** The recovery's phase: after the listener has loaded the observers. */
	@Override
	public int getPhase() {
		return this.recovery.getPhase();
	}

	/**
	 * The model watcher's publishing side: installs a {@link HibernateModelWatcher} on
	 * the persistence unit that publishes a message after each committed change of a
	 * watched entity, through the outbox with the transaction, and, where the listener
	 * runs, declares a committed observer's queue before the commit returns. The
	 * application's {@link ModelWatcherListener}s and its {@link Clock} are read from its
	 * bean factory.
	 * @param entityManagerFactory the persistence unit
	 * @param publishing sends the messages, or stores them with the transaction
	 * @param listener the listener side, or {@code null} where the listener does not run
	 * @param schema the schema the messages carry
	 * @param eventsExchange observer queues bind to it unless they name another
	 * @param modelsExchange the messages go to it
	 * @param beans the application's bean factory
	 * @return the installed watcher
	 */
	public static HibernateModelWatcher publishing(EntityManagerFactory entityManagerFactory,
			EventPublishingAssembly publishing, @Nullable EventListenerAssembly listener, ModelWatcherSchema schema,
			String eventsExchange, String modelsExchange, ListableBeanFactory beans) {
		ModelChangePublisher publisher = new ModelChangePublisher(publishing.outbox(), new ModelChangeCodec(),
				modelsExchange, schema, beans.getBeanProvider(Clock.class).getIfAvailable(Clock::systemUTC),
				beans.getBeanProvider(ModelWatcherListener.class).orderedStream().toList());
		ObserverQueueDeclarer declarer = (listener != null) ? new ObserverQueueDeclarer(listener.types(),
				listener.queueNames(), eventsExchange, listener.topology()) : null;
		return HibernateModelWatcher.installedOn(entityManagerFactory, publisher, declarer);
	}

	/**
	 * Start building the model watcher's listening side.
	 * @param listener the listener side it applies observer changes to
	 * @param schema the schema model-watcher messages carry
	 * @return the builder
	 */
	public static Builder builder(EventListenerAssembly listener, ModelWatcherSchema schema) {
		return new Builder(listener, schema);
	}

	/** Applies observer changes to the registry; resynchronises on demand. */
	public ObserverSynchronizer synchronizer() {
		return this.synchronizer;
	}

	/** Resynchronises periodically and after every reconnect. */
	public RegistryRecovery recovery() {
		return this.recovery;
	}

	/**
	 * The watcher queue and its consumer; {@code null} where this process does not
	 * consume model-watcher messages.
	 */
	public @Nullable ModelWatcherSubscription subscription() {
		return this.subscription;
	}

	/**
	 * The settings of a {@link ModelWatcherAssembly}: each part's own, in one place.
	 */
	public static final class Builder {

		private final EventListenerAssembly listener;

		private final ModelWatcherSchema schema;

		private boolean deleteQueuesOfDeletedRows = true;

		private String eventsExchange = "events";

		private String modelsExchange = "models";

		private Duration resyncInterval = Duration.ofMinutes(5);

		private @Nullable ErrorBudget errorBudget;

		private @Nullable TaskScheduler scheduler;

		private @Nullable ConnectionFactory connections;

		private @Nullable AmqpAdmin admin;

		private long maxPayloadSize = 256 * 1024;

		private Duration coalesceInterval = Duration.ofSeconds(1);

		private boolean autoStartup = true;

		private Builder(EventListenerAssembly listener, ModelWatcherSchema schema) {
			this.listener = listener;
			this.schema = schema;
		}

		/**
		 * The exchanges: the application's queues are bound again to the events exchange
		 * after a reconnect, and the watcher queue to the models exchange.
		 * @param events the events exchange
		 * @param models the models exchange
		 * @return this builder
		 */
		public Builder exchanges(String events, String models) {
			this.eventsExchange = events;
			this.modelsExchange = models;
			return this;
		}

		/** Whether the queue of an observer whose row was deleted is deleted too. */
		public Builder deleteQueuesOfDeletedRows(boolean deleteQueuesOfDeletedRows) {
			this.deleteQueuesOfDeletedRows = deleteQueuesOfDeletedRows;
			return this;
		}

		/** How often all active observers are reloaded and the difference applied. */
		public Builder resyncInterval(Duration interval) {
			this.resyncInterval = interval;
			return this;
		}

		/**
		 * Resynchronise every interval and after every new connection.
		 * @param errorBudget counts failed resyncs
		 * @param scheduler runs the resyncs (and the watcher's coalesced reads)
		 * @param connections the listener's connections (the watcher consumes on them
		 * too)
		 * @return this builder
		 */
		public Builder recovery(ErrorBudget errorBudget, TaskScheduler scheduler, ConnectionFactory connections) {
			this.errorBudget = errorBudget;
			this.scheduler = scheduler;
			this.connections = connections;
			return this;
		}

		/**
		 * Consume model-watcher messages on an exclusive watcher queue.
		 * @param admin declares the watcher queue
		 * @return this builder
		 */
		public Builder consuming(AmqpAdmin admin) {
			this.admin = admin;
			return this;
		}

		/**
		 * How the watcher reads its messages.
		 * @param maxPayloadSize the largest message body read, in bytes
		 * @param coalesceInterval further messages for one observer within it are
		 * coalesced into one read
		 * @return this builder
		 */
		public Builder payloads(long maxPayloadSize, Duration coalesceInterval) {
			this.maxPayloadSize = maxPayloadSize;
			this.coalesceInterval = coalesceInterval;
			return this;
		}

		/** Whether the recovery and the subscription start with the context. */
		public Builder autoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
			return this;
		}

		/**
		 * Build the listening side with the application's parts.
		 * @param beans the application's bean factory
		 * @return the assembly
		 */
		public ModelWatcherAssembly build(ListableBeanFactory beans) {
			Assert.state(this.errorBudget != null && this.scheduler != null && this.connections != null,
					"a recovery is required");
			return new ModelWatcherAssembly(this, new Recovery(this.errorBudget, this.scheduler, this.connections),
					beans);
		}

	}

	/** What the recovery and the subscription are made with. */
	private record Recovery(ErrorBudget errorBudget, TaskScheduler scheduler, ConnectionFactory connections) {

	}

}
