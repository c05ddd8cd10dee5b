package io.eventlistener.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.lifecycle.DatabaseStartupGate;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.RegistryRecovery;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.outbox.MessageOutbox;
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
import org.hibernate.engine.spi.SessionFactoryImplementor;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.TaskScheduler;

/**
 * The model watcher (isimud's {@code ModelWatcher} and the listener's observer queue):
 * publishing a message after each committed change of a watched entity, and, where the
 * listener runs, consuming them on an exclusive watcher queue to register, rebind and
 * unregister observers live, plus the {@link ObserverSynchronizer} that resynchronises on
 * demand. Needs AMQP and Hibernate.
 */
@AutoConfiguration(after = { EventPublisherAutoConfiguration.class, EventListenerAutoConfiguration.class },
		afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({ RabbitTemplate.class, EntityManagerFactory.class, SessionFactoryImplementor.class })
@ConditionalOnBean({ RabbitTemplate.class, EntityManagerFactory.class, DataSource.class })
@ConditionalOnEventListenerEnabled
@EnableConfigurationProperties(EventListenerProperties.class)
@Import(EventListenerTaskConfiguration.class)
public final class ModelWatcherAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ModelWatcherSchema modelWatcherSchema(EventListenerProperties properties, DataSource dataSource,
			ObjectProvider<DatabaseStartupGate> databaseGate) {
		// the default is the database's name: wait for the database, as start-up does
		return ModelWatcherSchema.configuredOr(properties.getWatcher().getSchema(), dataSource,
				() -> databaseGate.ifAvailable(DatabaseStartupGate::awaitAvailable));
	}

	/** Publishing model changes, through the outbox with the transaction. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "event-listener.watcher.publish", matchIfMissing = true)
	static class Publishing {

		@Bean
		@ConditionalOnMissingBean
		ModelChangePublisher modelChangePublisher(MessageOutbox outbox, EventListenerProperties properties,
				ModelWatcherSchema schema, ObjectProvider<Clock> clock,
				ObjectProvider<ModelWatcherListener> listeners) {
			return new ModelChangePublisher(outbox, new ModelChangeCodec(), properties.getExchanges().getModels(),
					schema, clock.getIfAvailable(Clock::systemUTC), listeners.orderedStream().toList());
		}

		/**
		 * Declares a committed observer's queue before the commit returns, where the
		 * listener runs.
		 */
		@Bean
		@ConditionalOnBean(EventListenerAssembly.class)
		@ConditionalOnMissingBean
		ObserverQueueDeclarer observerQueueDeclarer(EventListenerAssembly listener,
				EventListenerProperties properties) {
			return new ObserverQueueDeclarer(listener.types(), listener.queueNames(),
					properties.getExchanges().getEvents(), listener.topology());
		}

		@Bean
		@ConditionalOnMissingBean
		HibernateModelWatcher hibernateModelWatcher(EntityManagerFactory entityManagerFactory,
				ModelChangePublisher publisher, ObjectProvider<ObserverQueueDeclarer> declarer) {
			return HibernateModelWatcher.installedOn(entityManagerFactory, publisher, declarer.getIfAvailable());
		}

	}

	/** Applying observer changes to the registry of a running listener. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ EventListenerAssembly.class, ConnectionFactory.class, AmqpAdmin.class })
	static class Listening {

		@Bean
		@ConditionalOnMissingBean
		ObserverSynchronizer observerSynchronizer(EventListenerAssembly listener, EventListenerProperties properties,
				ObjectProvider<ModelWatcherListener> listeners) {
			ObserverSynchronizer synchronizer = new ObserverSynchronizer(listener.types(), listener.loader(),
					listener.registry(), listener.queueNames(), listener.topology(),
					properties.getWatcher().isDeleteQueuesOnDestroy(), listeners.orderedStream().toList());
			// a queue deleted behind the listener's back is declared again while its row
			// is active, or its observer unregistered
			if (listener.consumers() instanceof MonitoredConsumers consumers) {
				consumers.setLostQueueHandler(synchronizer::recoverLostQueue);
			}
			return synchronizer;
		}

		@Bean
		@ConditionalOnMissingBean
		RegistryRecovery eventListenerRegistryRecovery(EventListenerAssembly listener,
				ObjectProvider<EventQueueBinding> eventQueues, ObserverSynchronizer synchronizer,
				ErrorBudget errorBudget, EventListenerProperties properties, ConnectionFactory connectionFactory,
				@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
			RegistryRecovery recovery = properties.registryRecovery(listener.registry(), listener.topology(),
					eventQueues.orderedStream().toList(), synchronizer::synchronize, errorBudget, scheduler);
			recovery.finishFailedLoadsOf(listener.lifecycle());
			connectionFactory.addConnectionListener(recovery);
			return recovery;
		}

		/** Consuming model-watcher messages on this process's watcher queue. */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBooleanProperty(name = "event-listener.watcher.enabled", matchIfMissing = true)
		static class Consuming {

			/**
			 * The watcher queue, declared before the observers are loaded, and its one
			 * consumer, applying changes in order, which the listener starts once they
			 * are loaded, so that the load overwrites no change.
			 */
			@Bean
			@ConditionalOnMissingBean
			ModelWatcherSubscription modelWatcherSubscription(EventListenerAssembly listener, ModelWatcherSchema schema,
					ObserverSynchronizer synchronizer, EventListenerProperties properties, AmqpAdmin amqpAdmin,
					ConnectionFactory connectionFactory, ObjectProvider<ModelWatcherListener> listeners,
					@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
					ObjectProvider<Clock> clock) {
				ObserverTypes types = listener.types();
				EventListenerProperties.Watcher watcher = properties.getWatcher();
				ModelChangeReceiver receiver = watcher.coalescing(
						new ModelChangeReceiver(types, synchronizer, new ModelChangeCodec(), schema,
								watcher.getMaxPayloadSize().toBytes(), listeners.orderedStream().toList()),
						scheduler, clock.getIfAvailable(Clock::systemUTC));
				ModelWatcherSubscription subscription = new ModelWatcherSubscription(
						new WatcherQueue(WatcherQueue.defaultName(listener.queueNames().prefix()),
								properties.getExchanges().getModels(), schema, types.all()),
						amqpAdmin, connectionFactory, receiver);
				subscription.setAutoStartup(properties.isAutoStartup());
				subscription.consumeAfterLoadOf(listener.lifecycle());
				return subscription;
			}

		}

	}

}
