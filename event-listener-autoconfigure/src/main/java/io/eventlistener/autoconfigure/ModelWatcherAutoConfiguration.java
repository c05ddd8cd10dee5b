package io.eventlistener.autoconfigure;

import javax.sql.DataSource;

import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.assembly.ModelWatcherAssembly;
import io.eventlistener.lifecycle.DatabaseStartupGate;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.watch.HibernateModelWatcher;
import io.eventlistener.watch.ModelWatcherSchema;
import io.eventlistener.watch.ModelWatcherSubscription;
import io.eventlistener.watch.ObserverSynchronizer;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ListableBeanFactory;
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

	/**
	 * Publishing a message after each committed change of a watched entity, through the
	 * outbox with the transaction; where the listener runs, a committed observer's queue
	 * is declared before the commit returns.
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "event-listener.watcher.publish", matchIfMissing = true)
	@ConditionalOnMissingBean
	HibernateModelWatcher hibernateModelWatcher(EntityManagerFactory entityManagerFactory,
			EventPublishingAssembly publishing, ObjectProvider<EventListenerAssembly> listener,
			ModelWatcherSchema schema, EventListenerProperties properties, ListableBeanFactory beans) {
		return ModelWatcherAssembly.publishing(entityManagerFactory, publishing, listener.getIfAvailable(), schema,
				properties.getExchanges().getEvents(), properties.getExchanges().getModels(), beans);
	}

	/**
	 * Applying observer changes to the registry of a running listener: its listening side
	 * built together (synchronizer, registry recovery and, with {@code watcher.enabled},
	 * the watcher queue's subscription, declared before the observers are loaded and
	 * consuming once they are, so that the load overwrites no change). The assembly is
	 * the recovery's lifecycle; the synchronizer (applications resync with it) and the
	 * subscription (a start phase of its own) are beans too.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ EventListenerAssembly.class, ConnectionFactory.class, AmqpAdmin.class })
	static class Listening {

		@Bean
		@ConditionalOnMissingBean
		ModelWatcherAssembly modelWatcherAssembly(EventListenerAssembly listener, ModelWatcherSchema schema,
				EventListenerProperties properties, ErrorBudget errorBudget, AmqpAdmin amqpAdmin,
				ConnectionFactory connectionFactory,
				@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
				ListableBeanFactory beans) {
			return properties.applyTo(ModelWatcherAssembly.builder(listener, schema), amqpAdmin)
				.recovery(errorBudget, scheduler, connectionFactory)
				.build(beans);
		}

		@Bean
		ObserverSynchronizer observerSynchronizer(ModelWatcherAssembly watcher) {
			return watcher.synchronizer();
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "event-listener.watcher.enabled", matchIfMissing = true)
		ModelWatcherSubscription modelWatcherSubscription(ModelWatcherAssembly watcher) {
			return watcher.subscription();
		}

	}

}
