package io.eventlistener.registry;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * Makes each consumer shard's container on a {@link CachingConnectionFactory} of its own,
 * built from the application's RabbitMQ client factory (host, credentials, TLS, heart
 * beat, {@code channel_max}), so each shard has its own connection and its own
 * {@code channel_max} budget.
 * <p>
 * Threads stay flat however many shards there are: every shard connection hands its
 * deliveries to one shared pool of {@code threads} threads (the RabbitMQ client would
 * otherwise make a pool per connection), and every container shares one monitor thread.
 * What grows is one reader thread per connection, made by the RabbitMQ client.
 * <p>
 * Spring AMQP's own listener timers ({@code spring.rabbitmq.listener}, one per queue) are
 * switched off on every shard container: they would make one timer per observer. The
 * event listener's own meters time handlers by observer type instead.
 */
public class DedicatedConnectionShardFactory implements ShardedContainerConsumers.ShardFactory, DisposableBean {

	private final com.rabbitmq.client.ConnectionFactory rabbitConnectionFactory;

	private final Consumer<CachingConnectionFactory> connectionCustomizer;

	private final DirectRabbitListenerContainerFactory containerFactory;

	private final Consumer<DirectMessageListenerContainer> containerCustomizer;

	private final Supplier<? extends MessageListener> listener;

	private final String connectionName;

	private final @Nullable ApplicationEventPublisher eventPublisher;

	private final ExecutorService deliveryExecutor;

	private final ThreadPoolTaskScheduler monitor = new ThreadPoolTaskScheduler();

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
	 * @param threads size of the delivery pool all shard connections share
	 * @param connectionName shard connections are named {@code connectionName#index} on
	 * the broker
	 * @param eventPublisher receives the containers' events, if not null
	 */
	public DedicatedConnectionShardFactory(com.rabbitmq.client.ConnectionFactory rabbitConnectionFactory,
			Consumer<CachingConnectionFactory> connectionCustomizer,
			DirectRabbitListenerContainerFactory containerFactory,
			Consumer<DirectMessageListenerContainer> containerCustomizer, Supplier<? extends MessageListener> listener,
			int threads, String connectionName, @Nullable ApplicationEventPublisher eventPublisher) {
		Assert.isTrue(threads > 0, "threads must be positive");
		this.rabbitConnectionFactory = rabbitConnectionFactory;
		this.connectionCustomizer = connectionCustomizer;
		this.containerFactory = containerFactory;
		this.containerCustomizer = containerCustomizer;
		this.listener = listener;
		this.connectionName = connectionName;
		this.eventPublisher = eventPublisher;
		this.deliveryExecutor = Executors.newFixedThreadPool(threads,
				new CustomizableThreadFactory("event-listener-consumer-"));
		this.monitor.setThreadNamePrefix("event-listener-monitor-");
		this.monitor.initialize();
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

	@Override
	public void destroy() {
		this.monitor.shutdown();
		this.deliveryExecutor.shutdown();
	}

}
