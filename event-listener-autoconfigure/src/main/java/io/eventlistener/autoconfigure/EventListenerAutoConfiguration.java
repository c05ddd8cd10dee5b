package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import io.eventlistener.EventExceptionHandler;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.dispatch.OutageClassifier;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.lifecycle.DatabaseStartupCheck;
import io.eventlistener.lifecycle.DatabaseStartupGate;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.method.EventObserverHandlerPostProcessor;
import io.eventlistener.observer.BroadcastQueueNaming;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import jakarta.persistence.EntityManagerFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The event listener: finds the observer types in the JPA metamodel, loads their active
 * rows at start-up, and consumes one durable queue per observer. Needs AMQP and JPA.
 * <p>
 * The listener side (loader, handlers, topology, consumers, registry, pipeline, dead
 * letters, lifecycle) is one bean, built by {@link EventListenerAssembly.Builder}; the
 * other beans are the observer model, start-up, the error budget and outage pause, and
 * the inbox, which others inject or which have a lifecycle of their own.
 */
@AutoConfiguration(after = EventPublisherAutoConfiguration.class,
		afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass(value = { CachingConnectionFactory.class, EntityManagerFactory.class },
		name = "org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer")
@ConditionalOnBean({ ConnectionFactory.class, AmqpAdmin.class, EntityManagerFactory.class,
		PlatformTransactionManager.class, EventCodec.class })
@ConditionalOnEventListenerEnabled
@EnableConfigurationProperties({ EventListenerProperties.class, EventListenerDeliveryProperties.class,
		EventListenerBatchProperties.class })
@Import(EventListenerTaskConfiguration.class)
public final class EventListenerAutoConfiguration {

	/**
	 * Finds {@code @EventObserverHandler} methods; static, as a post-processor must be.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static EventObserverHandlerPostProcessor eventObserverHandlerPostProcessor() {
		return new EventObserverHandlerPostProcessor();
	}

	@Bean
	static BroadcastQueueNaming eventListenerDeliveryPostProcessor(ObjectProvider<QueueNames> queueNames) {
		return new BroadcastQueueNaming(queueNames::getObject);
	}

	/** What observers there are: their types and queue names, which many parts read. */
	@Configuration(proxyBeanMethods = false)
	static class ObserverModelConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ObserverTypes observerTypes(EntityManagerFactory entityManagerFactory,
				EventListenerDeliveryProperties delivery) {
			return ObserverTypes.fromMetamodel(entityManagerFactory.getMetamodel())
				.withDelivery(delivery.getObservers());
		}

		@Bean
		@ConditionalOnMissingBean
		QueueNames observerQueueNames(EventListenerProperties properties, EventListenerDeliveryProperties delivery,
				Environment environment) {
			return QueueNames.of(properties.queuePrefixOr(environment.getProperty("spring.application.name")),
					delivery.getInstanceId());
		}

	}

	/** Start-up: check and wait for the database. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	static class StartupConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DatabaseStartupGate eventListenerDatabaseGate(DataSource dataSource, Environment environment,
				EventListenerProperties properties) {
			return properties.getStartup().gate(dataSource, environment);
		}

		/**
		 * Explains a missing database, an unknown user or a refused password before
		 * Hibernate and schema scripts fail on it; an unreachable one too, unless
		 * Hibernate reads no metadata (the gate above then waits for it).
		 */
		@Bean
		@ConditionalOnMissingBean
		DatabaseStartupCheck eventListenerDatabaseCheck(DataSource dataSource, Environment environment,
				EventListenerProperties properties) {
			return properties.getStartup().check(dataSource, environment);
		}

	}

	/** When deliveries fail: the error budget and the outage pause. */
	@Configuration(proxyBeanMethods = false)
	static class FailureHandlingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErrorBudget eventListenerErrorBudget(EventListenerProperties properties, ObjectProvider<Clock> clock,
				ApplicationEventPublisher events) {
			return properties.getError().budget(clock.getIfAvailable(Clock::systemUTC), events);
		}

		/** An exhausted budget: liveness BROKEN (the default), exit 1, or stay up. */
		@Bean
		@ConditionalOnMissingBean
		ErrorLimitShutdown eventListenerErrorLimitShutdown(EventListenerProperties properties,
				ObjectProvider<EventListenerLifecycle> lifecycle, ConfigurableApplicationContext context) {
			return new ErrorLimitShutdown(properties.getError().getOnLimit(), lifecycle::getObject, context,
					EventListenerThreads.ofItsOwn("error-limit"));
		}

		/**
		 * Pauses consumers while the database is out; switched off with outage.enabled.
		 */
		@Bean
		@ConditionalOnBean(DataSource.class)
		@ConditionalOnBooleanProperty(name = "event-listener.outage.enabled", matchIfMissing = true)
		@ConditionalOnMissingBean
		OutagePause eventListenerOutagePause(ObjectProvider<OutageClassifier> classifiers,
				ObjectProvider<OutagePause.Probe> probes, DataSource dataSource, EventListenerProperties properties,
				ObjectProvider<Clock> clock, Environment environment) {
			return properties.getOutage()
				.pause(OutageClassifier.defaultsAnd(classifiers.orderedStream().toList()),
						OutagePause.Probe.database(dataSource, probes.orderedStream().toList()),
						clock.getIfAvailable(Clock::systemUTC),
						EventListenerThreads.perTask("outage-probe", environment));
		}

	}

	/**
	 * Only with {@code event-listener.inbox.enabled=true}: each handled delivery recorded
	 * in the handler's transaction, its table created with the starter's script, and the
	 * old records deleted on the shared scheduler (the inbox owns its table and cleanup).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("event-listener.inbox.enabled")
	@ConditionalOnBean(DataSource.class)
	@EnableConfigurationProperties(EventInboxProperties.class)
	static class InboxConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventInbox eventInbox(DataSource dataSource, EventInboxProperties properties,
				PlatformTransactionManager transactionManager, ObjectProvider<Clock> clock,
				@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
			return properties.inbox(dataSource, transactionManager, clock.getIfAvailable(Clock::systemUTC), scheduler);
		}

	}

	/**
	 * The listener side built together: loader, handlers, topology, the multiplexed
	 * consumers (many consumers per channel, on connections made like the application's;
	 * with {@code consumer.partitioning=dynamic} only this instance's buckets), registry,
	 * delivery pipeline (dispatch, retry in place, then dead-letter; observed as Spring
	 * AMQP observes a container's deliveries when {@link StarterObservations#deliveries}
	 * says so) and lifecycle. The registry and the lifecycle are beans too: applications
	 * inject the one, and the other is the {@code SmartLifecycle} that loads the
	 * observers.
	 */
	@Configuration(proxyBeanMethods = false)
	static class AssemblyConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventListenerAssembly eventListenerAssembly(ObserverTypes types, QueueNames queueNames, EventCodec codec,
				ErrorBudget errorBudget, EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, AmqpAdmin amqpAdmin, ConnectionFactory connectionFactory,
				ObjectProvider<CachingConnectionFactoryConfigurer> configurer, ObjectProvider<RabbitProperties> boot,
				@Qualifier(EventPublisherAutoConfiguration.PUBLISHER_CONNECTION_FACTORY_BEAN_NAME) ConnectionFactory publisherConnectionFactory,
				ObjectProvider<RabbitTemplateConfigurer> templateConfigurer,
				ObjectProvider<EventExceptionHandler> exceptionHandlers, EventListenerProperties properties,
				EventListenerDeliveryProperties delivery, EventListenerBatchProperties batch,
				@Qualifier(EventListenerTaskConfiguration.HANDLER_EXECUTOR_BEAN_NAME) Executor handlerExecutor,
				@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
				Environment environment, ApplicationContext context) {
			DeadLetterRecoverer recoverer = properties.getDeadLetter()
				.recoverer(() -> PublisherTemplates.create(publisherConnectionFactory, templateConfigurer, context,
						environment), queueNames, StarterObservations.registry(context, environment));
			return properties
				.applyTo(EventListenerAssembly.builder(types, queueNames, codec, errorBudget), amqpAdmin,
						connectionFactory, recoverer, delivery.getBroadcastQueueExpiry(), environment)
				.loader(entityManagerFactory, transactionManager)
				.pipeline((pipeline) -> properties.applyTo(pipeline, exceptionHandlers.orderedStream().toList()))
				.observations(StarterObservations.deliveries(context, environment))
				.consumers((consumers) -> properties.applyTo(consumers, boot.getIfAvailable())
					.connections(connectionFactory,
							(connection) -> configurer.ifAvailable((settings) -> settings.configure(connection)),
							queueNames.prefix())
					.threads(EventListenerThreads.consumers(handlerExecutor, scheduler,
							properties.getConsumer().getDeclareChannels(), environment))
					.batches(batch.getSize(), batch.getTimeout(), StarterObservations.batches(context)))
				.build(context);
		}

		@Bean
		ObserverRegistry observerRegistry(EventListenerAssembly assembly) {
			return assembly.registry();
		}

		@Bean
		EventListenerLifecycle eventListenerLifecycle(EventListenerAssembly assembly) {
			return assembly.lifecycle();
		}

		/**
		 * Only with {@code event-listener.shutdown.exit-zero-on-signal=true}: SIGTERM and
		 * SIGINT exit 0 once the listener has started (a background start still loading
		 * is a normal stop too).
		 */
		@Bean
		@ConditionalOnBooleanProperty("event-listener.shutdown.exit-zero-on-signal")
		@ConditionalOnMissingBean
		SignalExit eventListenerSignalExit(EventListenerLifecycle lifecycle) {
			return new SignalExit(() -> lifecycle.state() != ListenerState.NEW,
					EventListenerThreads.ofItsOwn("signal-exit"));
		}

	}

}
