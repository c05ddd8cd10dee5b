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
import io.eventlistener.dispatch.DeliveryPipeline;
import io.eventlistener.dispatch.DeliveryRetry;
import io.eventlistener.dispatch.EventBatches;
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
import io.eventlistener.metrics.ObserverTypeListenerObservationConvention;
import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.DefaultObserverRegistry;
import io.eventlistener.registry.DeliveryModePrefetch;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.ObserverRegistryListener;
import io.eventlistener.registry.QueueArguments;
import io.eventlistener.wire.EventCodec;
import io.micrometer.observation.ObservationRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

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
@ConditionalOnClass(value = { CachingConnectionFactory.class, EntityManagerFactory.class },
		name = "org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer")
@ConditionalOnBean({ ConnectionFactory.class, AmqpAdmin.class, EntityManagerFactory.class,
		PlatformTransactionManager.class, EventCodec.class })
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EventListenerProperties.class, EventListenerDeliveryProperties.class,
		EventListenerBatchProperties.class })
@Import(EventListenerTaskConfiguration.class)
public final class EventListenerAutoConfiguration {

	/**
	 * The observer consumers' prefetch unless {@code event-listener.consumer.prefetch} or
	 * Boot's {@value #BOOT_PREFETCH} says otherwise (in that order).
	 */
	static final int DEFAULT_PREFETCH = 250;

	private static final String BOOT_PREFETCH = "spring.rabbitmq.listener.direct.prefetch";

	/** Boot's setting that switches listener observations on. */
	private static final String OBSERVATION_ENABLED = "spring.rabbitmq.listener.direct.observation-enabled";

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
					deadLetterExchange(properties, queueNames), EventListenerThreads.pooled("dead-letter-publisher"),
					properties.getDeadLetter().isIncludeStackTrace());
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

		/**
		 * How a delivery its handler requeued is tried again
		 * ({@code event-listener.requeue.*}).
		 */
		@Bean
		@ConditionalOnMissingBean
		RequeueBackOff eventListenerRequeueBackOff(EventListenerProperties properties) {
			EventListenerProperties.Requeue requeue = properties.getRequeue();
			return new RequeueBackOff(requeue.getMaxRequeues(), requeue.getInitialInterval(), requeue.getMultiplier(),
					requeue.getMaxInterval());
		}

		@Bean
		@ConditionalOnMissingBean
		DeliveryListeners eventDeliveryListeners(ObjectProvider<DeliveryListener> listeners) {
			return new DeliveryListeners(listeners.orderedStream().toList());
		}

	}

	/**
	 * Consumption: the delivery pipeline every delivery runs through, and the multiplexed
	 * consumers (many consumers per channel, on connections made like the application's,
	 * Boot's {@code spring.rabbitmq.*} connection settings applied).
	 */
	@Configuration(proxyBeanMethods = false)
	static class ConsumerConfiguration {

		/**
		 * Dispatch, retry in place ({@code event-listener.retry.*}), then dead-letter;
		 * observed as Spring AMQP observes a container's deliveries when Boot's
		 * {@value #OBSERVATION_ENABLED} is on.
		 */
		@Bean
		@ConditionalOnMissingBean
		DeliveryPipeline eventDeliveryPipeline(EventDispatcher dispatcher, EventListenerProperties properties,
				DeadLetterRecoverer deadLetterRecoverer, ObjectProvider<DeliveryListeners> deliveryListeners,
				ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<ObserverRegistry> registry,
				ObjectProvider<EventQueueBinding> eventQueues, Environment environment) {
			EventListenerProperties.Retry retry = properties.getRetry();
			RetryPolicy policy = DeliveryRetry.policy(retry.getMaxAttempts(), retry.getInitialInterval(),
					retry.getMultiplier(), retry.getMaxInterval());
			MessageRecoverer recoverer = DeliveryListeners.notifying(deadLetterRecoverer,
					properties.getDeadLetter().isEnabled(), deliveryListeners::getObject);
			ObservationRegistry observations = observationRegistry.getIfAvailable();
			if (observations == null || !(environment.getProperty(EventPublisherAutoConfiguration.OBSERVATION_ENABLED,
					Boolean.class, false) || environment.getProperty(OBSERVATION_ENABLED, Boolean.class, false))) {
				return new DeliveryPipeline(dispatcher, policy, recoverer);
			}
			return new DeliveryPipeline(dispatcher, policy, recoverer, observations,
					new ObserverTypeListenerObservationConvention(SingletonSupplier.of(registry::getObject),
							eventQueues.orderedStream().map(EventQueueBinding::queueName).collect(Collectors.toSet())));
		}

		@Bean
		@ConditionalOnMissingBean(ObserverConsumers.class)
		MultiplexedConsumers observerConsumers(ConnectionFactory connectionFactory,
				ObjectProvider<CachingConnectionFactoryConfigurer> connectionConfigurer,
				ObjectProvider<DeliveryPipeline> pipeline, EventListenerProperties properties, QueueNames queueNames,
				Environment environment, ObjectProvider<ObserverRegistry> registry,
				ObjectProvider<EventQueueBinding> eventQueues, ObjectProvider<ObserverHandlers> handlers,
				EventCodec codec, EventListenerBatchProperties batch,
				@Qualifier(EventListenerTaskConfiguration.HANDLER_EXECUTOR_BEAN_NAME) Executor handlerExecutor,
				@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
			if (!(connectionFactory instanceof AbstractConnectionFactory template)) {
				throw new IllegalStateException("The event listener's consumers open connections made like "
						+ "the application's; they need a Spring AMQP AbstractConnectionFactory, not a "
						+ connectionFactory.getClass().getName()
						+ ". Define an ObserverConsumers bean to consume another way.");
			}
			EventListenerProperties.Consumer consumer = properties.getConsumer();
			MultiplexedConsumers.Settings settings = new MultiplexedConsumers.Settings(
					consumer.getConsumersPerChannel(), consumer.getChannelsPerConnection(),
					prefetch(consumer, environment), consumer.getMessagesPerAck(), consumer.getAckTimeout(),
					consumer.getRestartInterval(), properties.getShutdown().getTimeout());
			MultiplexedConsumers.Threads threads = new MultiplexedConsumers.Threads(handlerExecutor,
					EventListenerThreads.pool("consume", Math.max(1, Math.min(16, consumer.getDeclareChannels()))),
					EventListenerThreads.perTask("lost-queue", environment), scheduler);
			MultiplexedConsumers consumers = new MultiplexedConsumers(
					(index) -> consumerConnection(template, connectionConfigurer, queueNames.prefix(), index),
					pipeline::getObject, settings, threads);
			consumers.setPrefetch(new DeliveryModePrefetch(settings.prefetch(), registry::getObject,
					() -> eventQueues.orderedStream().toList()));
			consumers.setBatching(new EventBatches(SingletonSupplier.of(registry::getObject),
					SingletonSupplier.of(handlers::getObject), codec), batch.getSize(), batch.getTimeout());
			// stopped in the lifecycle's phase, so closing the context waits for
			// in-flight handlers before later phases close connections
			consumers.setPhase(EventListenerLifecycle.PHASE);
			return consumers;
		}

		/**
		 * A connection of the consumers' own, made like the application's. Consumer
		 * channels never publish: without confirms or returns they close at once, not on
		 * the factory's non-daemon executor, which only a context-closed event (never
		 * sent to this factory) shuts down; it kept a JVM whose start failed alive for a
		 * minute.
		 */
		private static CachingConnectionFactory consumerConnection(AbstractConnectionFactory template,
				ObjectProvider<CachingConnectionFactoryConfigurer> configurer, String prefix, int index) {
			CachingConnectionFactory connection = new CachingConnectionFactory(template.getRabbitConnectionFactory());
			configurer.ifAvailable((bootSettings) -> bootSettings.configure(connection));
			connection.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.NONE);
			connection.setPublisherReturns(false);
			connection.setConnectionNameStrategy((factory) -> prefix + ".consumers#" + index);
			return connection;
		}

		private static int prefetch(EventListenerProperties.Consumer consumer, Environment environment) {
			Integer prefetch = consumer.getPrefetch();
			return (prefetch != null) ? prefetch
					: Binder.get(environment).bind(BOOT_PREFETCH, Integer.class).orElse(DEFAULT_PREFETCH);
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
				RequeueBackOff requeueBackOff) {
			EventDispatcher dispatcher = new EventDispatcher(registry, handlers, eventQueues.orderedStream().toList(),
					codec, exceptionHandlers, errorBudget, deliveryListeners, outagePause.getIfAvailable());
			dispatcher.setReplies(replies.getIfAvailable());
			dispatcher.setRequeueBackOff(requeueBackOff);
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
