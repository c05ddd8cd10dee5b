package io.eventlistener.registry;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.support.ExecutorServiceAdapter;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Makes each consumer shard's container on a {@link CachingConnectionFactory} of its own,
 * built from the application's RabbitMQ client factory (host, credentials, TLS, heart
 * beat, {@code channel_max}), so each shard has its own connection and its own
 * {@code channel_max} budget.
 * <p>
 * Threads stay flat however many shards there are: every shard connection hands its
 * deliveries to one shared handler executor (the RabbitMQ client would otherwise make a
 * pool per connection), and every container's monitor runs on one shared scheduler; both
 * are the caller's, which shuts them down. What grows is one reader thread per
 * connection, made by the RabbitMQ client ({@code AMQP Connection host:port}), and kept.
 * <p>
 * Spring AMQP's own listener timers ({@code spring.rabbitmq.listener}, one per queue) are
 * switched off on every shard container: they would make one timer per observer. The
 * event listener's own meters time handlers by observer type instead.
 */
public class DedicatedConnectionShardFactory implements ShardedContainerConsumers.ShardFactory {

	private final com.rabbitmq.client.ConnectionFactory rabbitConnectionFactory;

	private final Consumer<CachingConnectionFactory> connectionCustomizer;

	private final DirectRabbitListenerContainerFactory containerFactory;

	private final Consumer<DirectMessageListenerContainer> containerCustomizer;

	private final Supplier<? extends MessageListener> listener;

	private final String connectionName;

	private final @Nullable ApplicationEventPublisher eventPublisher;

	private final Executor deliveryExecutor;

	private final TaskScheduler monitor;

	/**
	 * Create a new {@code DedicatedConnectionShardFactory}.
	 * @param rabbitConnectionFactory the client factory every shard connection is made by
	 * @param connectionCustomizer applies the application's connection settings (Boot's
	 * {@code spring.rabbitmq.*}) to each shard's connection factory
	 * @param containerFactory makes each shard's container with the application's
	 * container settings; the container's connection factory is then replaced by the
	 * shard's
	 * @param containerCustomizer applies settings the container factory has none for
	 * @param listener gives the listener that receives every delivery; asked when a shard
	 * is made, so it may be a bean that depends on the consumers
	 * @param deliveryExecutor runs the handlers of every shard connection's deliveries
	 * (an {@link ExecutorService}, a {@link ThreadPoolTaskExecutor} or any
	 * {@link org.springframework.core.task.TaskExecutor})
	 * @param monitor runs every container's consumer monitor
	 * @param connectionName shard connections are named {@code connectionName#index} on
	 * the broker
	 * @param eventPublisher receives the containers' events, if not null
	 */
	public DedicatedConnectionShardFactory(com.rabbitmq.client.ConnectionFactory rabbitConnectionFactory,
			Consumer<CachingConnectionFactory> connectionCustomizer,
			DirectRabbitListenerContainerFactory containerFactory,
			Consumer<DirectMessageListenerContainer> containerCustomizer, Supplier<? extends MessageListener> listener,
			Executor deliveryExecutor, TaskScheduler monitor, String connectionName,
			@Nullable ApplicationEventPublisher eventPublisher) {
		this.rabbitConnectionFactory = rabbitConnectionFactory;
		this.connectionCustomizer = connectionCustomizer;
		this.containerFactory = containerFactory;
		this.containerCustomizer = containerCustomizer;
		this.listener = listener;
		this.connectionName = connectionName;
		this.eventPublisher = eventPublisher;
		// the RabbitMQ client takes an ExecutorService; a thread-per-task executor
		// (virtual threads) is adapted, and never shut down by the client
		this.deliveryExecutor = (deliveryExecutor instanceof ExecutorService
				|| deliveryExecutor instanceof ThreadPoolTaskExecutor) ? deliveryExecutor
						: new ExecutorServiceAdapter(deliveryExecutor::execute);
		this.monitor = monitor;
	}

	@Override
	public DirectMessageListenerContainer create(int index) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(this.rabbitConnectionFactory);
		this.connectionCustomizer.accept(connectionFactory);
		connectionFactory.setExecutor(this.deliveryExecutor);
		connectionFactory.setConnectionNameStrategy((factory) -> this.connectionName + "#" + index);
		DirectMessageListenerContainer container = this.containerFactory.createListenerContainer(null);
		// Spring AMQP's own listener timer is tagged by queue: one timer per observer
		container.setMicrometerEnabled(false);
		this.containerCustomizer.accept(container);
		container.setConnectionFactory(connectionFactory);
		container.setMessageListener(this.listener.get());
		container.setTaskScheduler(this.monitor);
		container.setBeanName("eventListenerContainer#" + index);
		if (this.eventPublisher != null) {
			container.setApplicationEventPublisher(this.eventPublisher);
		}
		container.afterPropertiesSet();
		return container;
	}

}
