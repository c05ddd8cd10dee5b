package io.eventlistener.autoconfigure;

import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.dispatch.EventBatches;
import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.dispatch.ObserverHandlers;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.metrics.ObserverTypeListenerObservationConvention;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import io.micrometer.observation.ObservationRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.aopalliance.aop.Advice;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservation;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageReceiverContext;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;

/**
 * Unless {@code event-listener.consumer.mode=container}: observer queues are consumed by
 * {@link MultiplexedConsumers} (many consumers per channel) instead of the direct
 * container shards. Deliveries go through the same advice chain (retry, dead-letter
 * recoverer) as the containers', taken from the {@code eventListenerContainerFactory}.
 * Runs before {@link EventListenerAutoConfiguration}, whose shards then back off.
 */
@AutoConfiguration(before = EventListenerAutoConfiguration.class, after = EventPublisherAutoConfiguration.class,
		afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass(value = { DirectMessageListenerContainer.class, EntityManagerFactory.class },
		name = "org.springframework.boot.amqp.autoconfigure.DirectRabbitListenerContainerFactoryConfigurer")
@ConditionalOnBean({ ConnectionFactory.class, AmqpAdmin.class, EntityManagerFactory.class,
		PlatformTransactionManager.class, EventCodec.class })
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "event-listener.consumer.mode", havingValue = "multiplexed", matchIfMissing = true)
@EnableConfigurationProperties({ EventListenerProperties.class, EventListenerBatchProperties.class })
public final class MultiplexedConsumersAutoConfiguration {

	private static final String BOOT_PREFETCH = "spring.rabbitmq.listener.direct.prefetch";

	/** Boot's setting that switches the direct containers' observations on. */
	private static final String OBSERVATION_ENABLED = "spring.rabbitmq.listener.direct.observation-enabled";

	@Bean
	@ConditionalOnMissingBean(ObserverConsumers.class)
	MultiplexedConsumers multiplexedObserverConsumers(ConnectionFactory connectionFactory,
			ObjectProvider<CachingConnectionFactoryConfigurer> connectionConfigurer,
			@Qualifier("eventListenerContainerFactory") ObjectProvider<DirectRabbitListenerContainerFactory> containerFactory,
			ObjectProvider<EventDispatcher> dispatcher, EventListenerProperties properties, QueueNames queueNames,
			Environment environment, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<ObserverRegistry> registry, ObjectProvider<EventQueueBinding> eventQueues,
			ObjectProvider<ObserverHandlers> handlers, EventCodec codec, EventListenerBatchProperties batch,
			@Qualifier(EventListenerTaskConfiguration.HANDLER_EXECUTOR_BEAN_NAME) ObjectProvider<AsyncTaskExecutor> handlerExecutor) {
		if (!(connectionFactory instanceof AbstractConnectionFactory template)) {
			throw new IllegalStateException("The event listener's multiplexed consumers open connections made like "
					+ "the application's; they need a Spring AMQP AbstractConnectionFactory, not a "
					+ connectionFactory.getClass().getName()
					+ ". Define an ObserverConsumers bean to consume another way.");
		}
		EventListenerProperties.Consumer consumer = properties.getConsumer();
		MultiplexedConsumers.Settings settings = new MultiplexedConsumers.Settings(consumer.getConsumersPerChannel(),
				consumer.getChannelsPerConnection(), prefetch(consumer, environment), consumer.getMessagesPerAck(),
				consumer.getAckTimeout(), consumer.threads(), Math.max(1, Math.min(16, consumer.getDeclareChannels())),
				consumer.getRestartInterval(), properties.getShutdown().getTimeout());
		MultiplexedConsumers consumers = new MultiplexedConsumers((index) -> {
			CachingConnectionFactory shard = new CachingConnectionFactory(template.getRabbitConnectionFactory());
			connectionConfigurer.ifAvailable((configurer) -> configurer.configure(shard));
			// consumer channels never publish: without confirms or returns they close at
			// once, not on the factory's non-daemon executor, which only a context-closed
			// event (never sent to this factory) shuts down; it kept a JVM whose start
			// failed alive for a minute
			shard.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.NONE);
			shard.setPublisherReturns(false);
			shard.setConnectionNameStrategy((factory) -> queueNames.prefix() + ".consumers#" + index);
			return shard;
		}, () -> {
			MultiplexedConsumers.Listener listener = advised(dispatcher.getObject(),
					containerFactory.getObject().getAdviceChain());
			ObservationRegistry observations = observationRegistry.getIfAvailable();
			if (observations == null || !(environment.getProperty(EventPublisherAutoConfiguration.OBSERVATION_ENABLED,
					Boolean.class, false) || environment.getProperty(OBSERVATION_ENABLED, Boolean.class, false))) {
				return listener;
			}
			return observed(listener, observations,
					new ObserverTypeListenerObservationConvention(SingletonSupplier.of(registry::getObject),
							eventQueues.orderedStream().map(EventQueueBinding::queueName).collect(Collectors.toSet())));
		}, settings);
		// the starter's handler executor, as the containers use it
		handlerExecutor.ifAvailable(consumers::setHandlerExecutor);
		consumers.setPrefetch(prefetchByDelivery(settings.prefetch(), registry, eventQueues));
		consumers.setBatching(new EventBatches(SingletonSupplier.of(registry::getObject),
				SingletonSupplier.of(handlers::getObject), codec), batch.getSize(), batch.getTimeout());
		// stopped in the lifecycle's phase, so closing the context waits for in-flight
		// handlers before later phases close connections
		consumers.setPhase(EventListenerLifecycle.PHASE);
		return consumers;
	}

	private static int prefetch(EventListenerProperties.Consumer consumer, Environment environment) {
		Integer prefetch = consumer.getPrefetch();
		if (prefetch != null) {
			return prefetch;
		}
		return Binder.get(environment)
			.bind(BOOT_PREFETCH, Integer.class)
			.orElse(EventListenerAutoConfiguration.DEFAULT_PREFETCH);
	}

	/**
	 * Prefetch 1 for the queues of {@link DeliveryMode#ORDERED ordered} observer types
	 * and application queues, the shared prefetch for the others. Asked as each queue is
	 * consumed, when the registry knows its observer.
	 */
	private static ToIntFunction<String> prefetchByDelivery(int prefetch, ObjectProvider<ObserverRegistry> registry,
			ObjectProvider<EventQueueBinding> eventQueues) {
		Supplier<ObserverRegistry> observers = SingletonSupplier.of(registry::getObject);
		Supplier<Set<String>> orderedQueues = SingletonSupplier.of(() -> eventQueues.orderedStream()
			.filter((binding) -> binding.delivery() == DeliveryMode.ORDERED)
			.map(EventQueueBinding::queueName)
			.collect(Collectors.toSet()));
		return (queue) -> {
			boolean ordered = orderedQueues.get().contains(queue) || observers.get()
				.findByQueue(queue)
				.filter((registration) -> registration.type().delivery() == DeliveryMode.ORDERED)
				.isPresent();
			return ordered ? 1 : prefetch;
		};
	}

	/**
	 * Each delivery observed as a container observes it (Spring AMQP's listener
	 * observation), tagged by observer type rather than by queue.
	 */
	private static MultiplexedConsumers.Listener observed(MultiplexedConsumers.Listener listener,
			ObservationRegistry observations, ObserverTypeListenerObservationConvention convention) {
		return (channel, data) -> {
			Message message = (Message) data;
			RabbitListenerObservation.LISTENER_OBSERVATION
				.observation(convention, RabbitListenerObservation.DefaultRabbitListenerObservationConvention.INSTANCE,
						() -> new RabbitMessageReceiverContext(message, "eventListenerConsumers"), observations)
				.observe(() -> listener.invokeListener(channel, message));
		};
	}

	/**
	 * The dispatcher behind the container's advice chain, failures wrapped as a container
	 * wraps them.
	 */
	private static MultiplexedConsumers.Listener advised(EventDispatcher dispatcher, Advice[] adviceChain) {
		MultiplexedConsumers.Listener target = (channel, data) -> {
			Message message = (Message) data;
			try {
				dispatcher.onMessage(message);
			}
			catch (RuntimeException ex) {
				throw new ListenerExecutionFailedException("Listener threw exception", ex, message);
			}
		};
		ProxyFactory proxyFactory = new ProxyFactory(target);
		proxyFactory.addInterface(MultiplexedConsumers.Listener.class);
		for (Advice advice : adviceChain) {
			proxyFactory.addAdvisor(new DefaultPointcutAdvisor(advice));
		}
		return (MultiplexedConsumers.Listener) proxyFactory.getProxy(MultiplexedConsumers.class.getClassLoader());
	}

}
