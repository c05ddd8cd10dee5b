package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.eventlistener.EventExceptionHandler;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.dispatch.DeadLetterQueue;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.dispatch.DeliveryListener;
import io.eventlistener.dispatch.DeliveryListeners;
import io.eventlistener.dispatch.DeliveryRetry;
import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.dispatch.EventReplies;
import io.eventlistener.dispatch.ExceptionHandlerChain;
import io.eventlistener.dispatch.ObserverHandlers;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.dispatch.RequeueBackOff;
import io.eventlistener.lifecycle.DatabaseStartupCheck;
import io.eventlistener.lifecycle.DatabaseStartupGate;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.lifecycle.StartupMode;
import io.eventlistener.method.EventObserverHandlerPostProcessor;
import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.DefaultObserverRegistry;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverContainer;
import io.eventlistener.registry.ObserverContainerFactory;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.ObserverRegistryListener;
import io.eventlistener.registry.QueueArguments;
import io.eventlistener.registry.ShardedContainerConsumers;
import io.eventlistener.wire.EventCodec;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.DirectRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The event listener: finds the observer types in the JPA metamodel, loads their active
 * rows at start-up, and consumes one durable queue per observer. Needs AMQP and JPA.
 * <p>
 * The beans are grouped by concern, as Spring Boot's {@code RabbitAutoConfiguration}
 * does: the observer model, start-up, failure handling, consumption, and the registry
 * with its lifecycle.
 */
@AutoConfiguration(after = EventPublisherAutoConfiguration.class,
		afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass(value = { DirectMessageListenerContainer.class, EntityManagerFactory.class },
		name = "org.springframework.boot.amqp.autoconfigure.DirectRabbitListenerContainerFactoryConfigurer")
@ConditionalOnBean({ ConnectionFactory.class, AmqpAdmin.class, EntityManagerFactory.class,
		PlatformTransactionManager.class, EventCodec.class })
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EventListenerProperties.class, EventListenerDeliveryProperties.class })
@Import(EventListenerTaskConfiguration.class)
public final class EventListenerAutoConfiguration {

	/**
	 * The observer consumers' prefetch unless {@code event-listener.consumer.prefetch} or
	 * Boot's {@value #BOOT_PREFETCH} says otherwise (in that order).
	 */
	static final int DEFAULT_PREFETCH = 250;

	private static final String BOOT_PREFETCH = "spring.rabbitmq.listener.direct.prefetch";

	private static final Log logger = LogFactory.getLog(EventListenerAutoConfiguration.class);

	/**
	 * The arguments of observer, application and dead-letter queues. Quorum queues
	 * dead-letter what goes over the delivery limit (or is rejected) through the broker
	 * to the dead-letter exchange, rather than dropping it.
	 */
	private static QueueArguments queueArguments(EventListenerProperties properties, QueueNames queueNames) {
		EventListenerProperties.Queues queues = properties.getQueues();
		String deadLetterExchange = properties.getDeadLetter().isEnabled() ? deadLetterExchange(properties, queueNames)
				: null;
		try {
			return new QueueArguments(queues.getType(), queues.getDeliveryLimit(), queues.getInitialGroupSize(),
					deadLetterExchange);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid event-listener.queues settings: " + ex.getMessage()
					+ " (set event-listener.queues.type=quorum, or remove delivery-limit and initial-group-size)", ex);
		}
	}

	private static String deadLetterExchange(EventListenerProperties properties, QueueNames queueNames) {
		return Objects.requireNonNullElse(properties.getDeadLetter().getExchange(),
				queueNames.prefix() + ".dead-letter");
	}

	/**
	 * What observers there are: their types, queue names, active rows and handlers.
	 */
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
			String prefix = properties.getQueuePrefix();
			if (!StringUtils.hasText(prefix)) {
				prefix = environment.getProperty("spring.application.name");
			}
			if (!StringUtils.hasText(prefix)) {
				throw new QueuePrefixMissingException();
			}
			String instanceId = delivery.getInstanceId();
			return new QueueNames(prefix,
					StringUtils.hasText(instanceId) ? instanceId : QueueNames.randomInstanceId(prefix));
		}

		@Bean
		@ConditionalOnMissingBean
		ActiveObserverLoader activeObserverLoader(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, EventListenerProperties properties) {
			return new ActiveObserverLoader(entityManagerFactory, transactionManager,
					properties.getLoader().getPageSize());
		}

		@Bean
		@ConditionalOnMissingBean
		ObserverHandlers observerHandlers(ListableBeanFactory beanFactory, ObserverTypes types,
				ObjectProvider<EventObserverHandlerPostProcessor> handlerMethods) {
			EventObserverHandlerPostProcessor methods = handlerMethods.getIfAvailable();
			return (methods != null)
					? ObserverHandlers.fromBeanFactory(beanFactory, types, () -> methods.handlers(types))
					: ObserverHandlers.fromBeanFactory(beanFactory, types);
		}

	}

	/**
	 * Start-up: wait for the database; release connections when the start fails.
	 */
	@Configuration(proxyBeanMethods = false)
	static class StartupConfiguration {

		@Bean
		@ConditionalOnBean(DataSource.class)
		@ConditionalOnMissingBean
		DatabaseStartupGate eventListenerDatabaseGate(DataSource dataSource, Environment environment,
				EventListenerProperties properties) {
			return new DatabaseStartupGate(dataSource,
					environment.getProperty("spring.datasource.url", "(the DataSource)"), Duration.ofSeconds(1),
					Duration.ofSeconds(30), properties.getStartup().getDatabaseWait(),
					EventListenerThreads.ofItsOwn("database-wait-abort"));
		}

		/**
		 * Connects once before Hibernate and schema scripts do, so that a missing
		 * database, an unknown user or a refused password fails the start with one
		 * explanation; an unreachable database too, unless Hibernate was told not to read
		 * its metadata (then the gate above waits for it).
		 */
		@Bean
		@ConditionalOnBean(DataSource.class)
		@ConditionalOnMissingBean
		DatabaseStartupCheck eventListenerDatabaseCheck(DataSource dataSource, Environment environment) {
			boolean hibernateReadsMetadata = ClassUtils.isPresent("jakarta.persistence.EntityManagerFactory", null)
					&& environment.getProperty("spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access",
							Boolean.class, true);
			return new DatabaseStartupCheck(dataSource,
					environment.getProperty("spring.datasource.url", "(the DataSource)"), hibernateReadsMetadata);
		}

		@Bean
		FailedStartConnectionCloser eventListenerFailedStartConnectionCloser(ConnectionFactory connectionFactory,
				ApplicationContext context) {
			return new FailedStartConnectionCloser(connectionFactory, context);
		}

	}

	/**
	 * What happens when a delivery fails: exception handlers, the error budget,
	 * dead-lettering, delivery listeners.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FailureHandlingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErrorBudget eventListenerErrorBudget(EventListenerProperties properties, ObjectProvider<Clock> clock,
				ApplicationEventPublisher events) {
			EventListenerProperties.Error error = properties.getError();
			return new ErrorBudget(error.getLimit(), error.getInterval(), clock.getIfAvailable(Clock::systemUTC),
					events);
		}

		/**
		 * The error-limit policy: an exhausted error budget stops the listener and, by
		 * {@code error.on-limit}, reports liveness BROKEN (the default), exits with
		 * status 1, or stays up.
		 */
		@Bean
		@ConditionalOnMissingBean
		ErrorLimitShutdown eventListenerErrorLimitShutdown(EventListenerProperties properties,
				ObjectProvider<EventListenerLifecycle> lifecycle, ConfigurableApplicationContext context) {
			return new ErrorLimitShutdown(properties.getError().getOnLimit(), lifecycle::getObject, context,
					EventListenerThreads.ofItsOwn("error-limit"));
		}

		@Bean
		@ConditionalOnMissingBean
		ExceptionHandlerChain eventExceptionHandlerChain(ObjectProvider<EventExceptionHandler> handlers,
				EventListenerProperties properties) {
			return new ExceptionHandlerChain(handlers.orderedStream().toList(), properties.getRetry().getMode());
		}

		@Bean
		@ConditionalOnMissingBean
		DeadLetterRecoverer eventDeadLetterRecoverer(EventListenerProperties properties, QueueNames queueNames,
				@Qualifier(EventPublisherAutoConfiguration.PUBLISHER_CONNECTION_FACTORY_BEAN_NAME) ConnectionFactory publisherConnectionFactory,
				ObjectProvider<RabbitTemplateConfigurer> templateConfigurer, ApplicationContext context,
				Environment environment) {
			if (!properties.getDeadLetter().isEnabled()) {
				logger.warn("Dead-lettering is off (event-listener.dead-letter.enabled=false): deliveries that fail "
						+ "every attempt, and malformed ones, are logged and discarded");
				return DeadLetterRecoverer.discarding();
			}
			// the starter's publishing connection: dead-lettering waits for the confirm
			return DeadLetterRecoverer.republishing(
					EventPublisherAutoConfiguration.publisherTemplate(publisherConnectionFactory, templateConfigurer,
							context, environment),
					deadLetterExchange(properties, queueNames), EventListenerThreads.pooled("dead-letter-publisher"));
		}

		/**
		 * Declares the dead-letter exchange and queue on every connection, with the queue
		 * settings but no dead-letter exchange of its own.
		 */
		@Bean
		@ConditionalOnBooleanProperty(name = "event-listener.dead-letter.enabled", matchIfMissing = true)
		@ConditionalOnMissingBean
		DeadLetterQueue eventListenerDeadLetterQueue(AmqpAdmin amqpAdmin, ConnectionFactory connectionFactory,
				EventListenerProperties properties, QueueNames queueNames) {
			BrokerTopology topology = new BrokerTopology(amqpAdmin, null, 1, Runnable::run,
					queueArguments(properties, queueNames).withoutDeadLetterExchange());
			DeadLetterQueue queue = new DeadLetterQueue(topology, Objects
				.requireNonNullElse(properties.getDeadLetter().getQueue(), queueNames.prefix() + ".dead-letter"),
					deadLetterExchange(properties, queueNames));
			// called at once when a connection is open already
			connectionFactory.addConnectionListener(queue);
			return queue;
		}

		@Bean
		@ConditionalOnMissingBean
		DeliveryListeners eventDeliveryListeners(ObjectProvider<DeliveryListener> listeners) {
			return new DeliveryListeners(listeners.orderedStream().toList());
		}

	}

	/**
	 * Consumption: the container factory (Boot's
	 * {@code spring.rabbitmq.listener.direct.*} settings apply) and the consumer shards,
	 * whose containers also get the application's
	 * {@code ContainerCustomizer<DirectMessageListenerContainer>} beans.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ConsumerConfiguration {

		/**
		 * Makes the container of each consumer shard; Boot's
		 * {@code spring.rabbitmq.listener.direct.*} settings apply. Acknowledgement is
		 * {@code auto} (after the handler returned); failed deliveries are retried, then
		 * dead-lettered.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "eventListenerContainerFactory")
		DirectRabbitListenerContainerFactory eventListenerContainerFactory(ConnectionFactory connectionFactory,
				ObjectProvider<DirectRabbitListenerContainerFactoryConfigurer> configurer,
				EventListenerProperties properties, DeadLetterRecoverer deadLetterRecoverer,
				ObjectProvider<DeliveryListeners> deliveryListeners, Environment environment) {
			DirectRabbitListenerContainerFactory factory = new ObserverContainerFactory();
			configurer.ifAvailable((bootSettings) -> bootSettings.configure(factory, connectionFactory));
			factory.setConnectionFactory(connectionFactory);
			if (environment.getProperty(EventPublisherAutoConfiguration.OBSERVATION_ENABLED, Boolean.class, false)) {
				factory.setObservationEnabled(true);
			}
			factory.setAcknowledgeMode(AcknowledgeMode.AUTO);
			Integer prefetch = properties.getConsumer().getPrefetch();
			if (prefetch != null) {
				factory.setPrefetchCount(prefetch);
			}
			else if (!Binder.get(environment).bind(BOOT_PREFETCH, Integer.class).isBound()) {
				factory.setPrefetchCount(DEFAULT_PREFETCH);
			}
			// started and stopped by EventListenerLifecycle; in its phase, so that
			// closing
			// the context waits for the lifecycle's stop (in-flight handlers) before
			// later
			// phases close connections
			factory.setAutoStartup(false);
			factory.setPhase(EventListenerLifecycle.PHASE);
			// the dispatcher and the recoverer log each failure with its context; a
			// failure that reaches the container (dead-lettering failed) is only passed
			// on, so it is requeued
			factory.setErrorHandler((failure) -> {
				throw (failure instanceof RuntimeException runtime) ? runtime
						: new AmqpRejectAndDontRequeueException(failure);
			});
			EventListenerProperties.Retry retry = properties.getRetry();
			factory.setAdviceChain(DeliveryRetry.interceptor(retry.getMaxAttempts(), retry.getInitialInterval(),
					retry.getMultiplier(), retry.getMaxInterval(), DeliveryListeners.notifying(deadLetterRecoverer,
							properties.getDeadLetter().isEnabled(), deliveryListeners::getObject)));
			return factory;
		}

		@Bean
		@ConditionalOnMissingBean(ObserverConsumers.class)
		ShardedContainerConsumers observerConsumers(ConnectionFactory connectionFactory,
				ObjectProvider<CachingConnectionFactoryConfigurer> connectionConfigurer,
				DirectRabbitListenerContainerFactory eventListenerContainerFactory,
				ObjectProvider<ContainerCustomizer<DirectMessageListenerContainer>> containerCustomizers,
				ObjectProvider<EventDispatcher> eventDispatcher, EventListenerProperties properties,
				QueueNames queueNames, ApplicationEventPublisher eventPublisher,
				ObjectProvider<ObserverRegistry> registry, ObjectProvider<EventQueueBinding> eventQueues,
				@Qualifier(EventListenerTaskConfiguration.HANDLER_EXECUTOR_BEAN_NAME) Executor handlerExecutor,
				@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
				Environment environment, ObjectProvider<LoggingSystem> loggingSystem) {
			loggingSystem.ifAvailable((logging) -> quietContainerLogger(logging, environment));
			ShardedConsumersBuilder builder = new ShardedConsumersBuilder(properties,
					queueNames.prefix() + ".consumers",
					(shard) -> connectionConfigurer.ifAvailable((configurer) -> configurer.configure(shard)),
					eventListenerContainerFactory, containerCustomizers.orderedStream().toList(), handlerExecutor,
					scheduler, EventListenerThreads.perTask("shard", environment));
			return builder.build(connectionFactory, eventDispatcher::getObject, registry::getObject,
					eventQueues.orderedStream().map(EventQueueBinding::queueName).collect(Collectors.toSet()),
					eventPublisher);
		}

		/**
		 * Switches off the logger of the starter's own containers,
		 * {@code io.eventlistener.registry.ObserverContainer}, unless the application set
		 * its level: Spring AMQP's container logs routine moments of observers as ERROR
		 * with stack traces, which the event listener reports itself, once and
		 * rate-limited. Only that category of the starter's is touched.
		 */
		private static void quietContainerLogger(LoggingSystem logging, Environment environment) {
			String category = ObserverContainer.class.getName();
			if (!environment.containsProperty("logging.level." + category)) {
				logging.setLogLevel(category, LogLevel.OFF);
			}
		}

	}

	/**
	 * The registry, its broker topology, the dispatcher, and the lifecycle that starts
	 * them.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BrokerTopology brokerTopology(AmqpAdmin amqpAdmin, ConnectionFactory connectionFactory,
				EventListenerProperties properties, EventListenerDeliveryProperties delivery, QueueNames queueNames,
				Environment environment) {
			BrokerTopology topology = new BrokerTopology(amqpAdmin, connectionFactory,
					properties.getConsumer().getDeclareChannels(), EventListenerThreads.perTask("declare", environment),
					queueArguments(properties, queueNames));
			topology.setBroadcastExpiry(delivery.getBroadcastQueueExpiry());
			return topology;
		}

		@Bean
		@ConditionalOnMissingBean
		ObserverRegistry observerRegistry(QueueNames queueNames, EventListenerProperties properties,
				BrokerTopology topology, ObserverConsumers consumers,
				ObjectProvider<ObserverRegistryListener> listeners) {
			return new DefaultObserverRegistry(queueNames, properties.getExchanges().getEvents(), topology, consumers,
					listeners.orderedStream().toList());
		}

		@Bean
		@ConditionalOnMissingBean
		EventDispatcher eventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
				ObjectProvider<EventQueueBinding> eventQueues, EventCodec codec,
				ExceptionHandlerChain exceptionHandlers, ErrorBudget errorBudget, DeliveryListeners deliveryListeners,
				ObjectProvider<OutagePause> outagePause, ObjectProvider<EventReplies> replies,
				ObjectProvider<RequeueBackOff> requeueBackOff) {
			EventDispatcher dispatcher = new EventDispatcher(registry, handlers, eventQueues.orderedStream().toList(),
					codec, exceptionHandlers, errorBudget, deliveryListeners, outagePause.getIfAvailable());
			dispatcher.setReplies(replies.getIfAvailable());
			requeueBackOff.ifAvailable(dispatcher::setRequeueBackOff);
			return dispatcher;
		}

		@Bean
		@ConditionalOnMissingBean
		EventListenerLifecycle eventListenerLifecycle(ObserverTypes types, ActiveObserverLoader loader,
				ObserverRegistry registry, BrokerTopology topology, EventListenerProperties properties,
				ObjectProvider<EventQueueBinding> eventQueues, ObserverConsumers consumers, Environment environment) {
			EventListenerLifecycle lifecycle = new EventListenerLifecycle(types, loader, registry, topology,
					properties.getExchanges().getEvents(), eventQueues.orderedStream().toList(), consumers);
			lifecycle.setAutoStartup(properties.isAutoStartup());
			if (properties.getStartup().getMode() == StartupMode.BACKGROUND) {
				lifecycle.setBackground(EventListenerThreads.perTask("startup", environment));
			}
			return lifecycle;
		}

		/**
		 * Only when the application asks
		 * ({@code event-listener.shutdown.exit-zero-on-signal=true}): SIGTERM and SIGINT
		 * exit 0 once started; installed when the application is ready, undone when the
		 * context is closed. Otherwise the JVM's signal handling and Boot's shutdown hook
		 * stay as they are.
		 */
		@Bean
		@ConditionalOnBooleanProperty("event-listener.shutdown.exit-zero-on-signal")
		@ConditionalOnMissingBean
		SignalExit eventListenerSignalExit(EventListenerLifecycle lifecycle) {
			// installed once the application is ready: STARTING then is a background
			// start-up still loading observers; the application is up, so a signal is a
			// normal stop
			return new SignalExit(() -> lifecycle.state() != ListenerState.NEW,
					EventListenerThreads.ofItsOwn("signal-exit"));
		}

	}

}
