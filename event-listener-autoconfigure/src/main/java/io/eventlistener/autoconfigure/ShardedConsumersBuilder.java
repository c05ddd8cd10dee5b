package io.eventlistener.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.metrics.ObserverTypeListenerObservationConvention;
import io.eventlistener.registry.DedicatedConnectionShardFactory;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.ShardedContainerConsumers;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wires the observer consumer shards: one connection per
 * {@code consumer.queues-per-connection} queues, made like the application's, each with a
 * container made by the listener's container factory. The settings the container factory
 * has no property for are applied to each container here, then the application's
 * {@link ContainerCustomizer ContainerCustomizer&lt;DirectMessageListenerContainer&gt;}
 * beans, in order, so a customizer has the last word.
 */
final class ShardedConsumersBuilder {

	private final EventListenerProperties properties;

	private final String connectionName;

	private final Consumer<CachingConnectionFactory> connectionSettings;

	private final DirectRabbitListenerContainerFactory containerFactory;

	private final List<ContainerCustomizer<DirectMessageListenerContainer>> containerCustomizers;

	private final Executor handlerExecutor;

	private final TaskScheduler scheduler;

	private final Executor shardWorkers;

	/**
	 * Create a new {@code ShardedConsumersBuilder}.
	 * @param properties the listener's settings
	 * @param connectionName shard connections are named {@code connectionName#index}
	 * @param connectionSettings applies Boot's {@code spring.rabbitmq.*} connection
	 * settings to a shard's connection factory
	 * @param containerFactory makes each shard's container
	 * @param containerCustomizers the application's container customizers, in order
	 * @param handlerExecutor runs the handlers of every shard's deliveries
	 * @param scheduler runs the containers' monitor
	 * @param shardWorkers starts shards and recovers lost queues
	 */
	ShardedConsumersBuilder(EventListenerProperties properties, String connectionName,
			Consumer<CachingConnectionFactory> connectionSettings,
			DirectRabbitListenerContainerFactory containerFactory,
			List<ContainerCustomizer<DirectMessageListenerContainer>> containerCustomizers, Executor handlerExecutor,
			TaskScheduler scheduler, Executor shardWorkers) {
		this.properties = properties;
		this.connectionName = connectionName;
		this.connectionSettings = connectionSettings;
		this.containerFactory = containerFactory;
		this.containerCustomizers = List.copyOf(containerCustomizers);
		this.handlerExecutor = handlerExecutor;
		this.scheduler = scheduler;
		this.shardWorkers = shardWorkers;
	}

	/**
	 * Build the sharded consumers, each shard a container on a connection of its own.
	 * @param connectionFactory the application's connection factory, whose client factory
	 * makes every shard connection
	 * @param dispatcher gives the listener of every delivery
	 * @param registry gives the registry, for the observations' observer type
	 * @param applicationQueues the application's own queues, tagged as such
	 * @param eventPublisher receives the containers' events
	 * @return the consumers, stopped in the listener's phase
	 */
	ShardedContainerConsumers build(ConnectionFactory connectionFactory, Supplier<EventDispatcher> dispatcher,
			Supplier<ObserverRegistry> registry, Set<String> applicationQueues,
			ApplicationEventPublisher eventPublisher) {
		EventListenerProperties.Consumer consumer = this.properties.getConsumer();
		if (!(connectionFactory instanceof AbstractConnectionFactory template)) {
			throw new IllegalStateException("The event listener opens one connection per "
					+ consumer.getQueuesPerConnection()
					+ " observer queues, made like the application's; it needs a Spring AMQP AbstractConnectionFactory "
					+ "(such as Boot's CachingConnectionFactory), not a " + connectionFactory.getClass().getName()
					+ ". Define an ObserverConsumers bean to consume another way.");
		}
		ObserverTypeListenerObservationConvention observations = new ObserverTypeListenerObservationConvention(
				SingletonSupplier.of(registry), applicationQueues);
		DedicatedConnectionShardFactory shards = new DedicatedConnectionShardFactory(
				template.getRabbitConnectionFactory(), this.connectionSettings, this.containerFactory,
				(container) -> customize(container, observations), dispatcher, this.handlerExecutor, this.scheduler,
				this.connectionName, eventPublisher);
		ShardedContainerConsumers consumers = new ShardedContainerConsumers(shards, consumer.getQueuesPerConnection(),
				this.shardWorkers);
		consumers.setCancelTimeout(this.properties.getShutdown().getTimeout());
		// stopped in the lifecycle's phase, so closing the context waits for in-flight
		// handlers before later phases close connections
		consumers.setPhase(EventListenerLifecycle.PHASE);
		return consumers;
	}

	private void customize(DirectMessageListenerContainer container,
			ObserverTypeListenerObservationConvention observations) {
		long restartInterval = this.properties.getConsumer().getRestartInterval().toMillis();
		container.setDefaultRequeueRejected(false);
		container.setShutdownTimeout(this.properties.getShutdown().getTimeout().toMillis());
		// a consumer the broker cancelled (its queue deleted and declared again) is
		// started again by the container's monitor: check often
		container.setMonitorInterval(restartInterval);
		container.setFailedDeclarationRetryInterval(restartInterval);
		// with observations on, tag them by observer type, not by queue
		container.setObservationConvention(observations);
		this.containerCustomizers.forEach((customizer) -> customizer.configure(container));
	}

}
