package io.eventlistener.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the event listener, under {@code event-listener}.
 */
@ConfigurationProperties("event-listener")
public class EventListenerProperties {

	/**
	 * Whether the event listener and publisher are auto-configured.
	 */
	private boolean enabled = true;

	/**
	 * Prefix of observer queue names ({prefix}.{type}.{id}). Defaults to
	 * spring.application.name; one of the two must be set.
	 */
	private @Nullable String queuePrefix;

	private final Exchanges exchanges = new Exchanges();

	private final Consumer consumer = new Consumer();

	private final Loader loader = new Loader();

	private final Publisher publisher = new Publisher();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getQueuePrefix() {
		return this.queuePrefix;
	}

	public void setQueuePrefix(@Nullable String queuePrefix) {
		this.queuePrefix = queuePrefix;
	}

	public Exchanges getExchanges() {
		return this.exchanges;
	}

	public Consumer getConsumer() {
		return this.consumer;
	}

	public Loader getLoader() {
		return this.loader;
	}

	public Publisher getPublisher() {
		return this.publisher;
	}

	/**
	 * The exchanges, both durable topic exchanges (isimud's names by default).
	 */
	public static class Exchanges {

		/**
		 * Exchange events are published to and observers bind to.
		 */
		private String events = "events";

		/**
		 * Exchange model-watcher messages are published to.
		 */
		private String models = "models";

		public String getEvents() {
			return this.events;
		}

		public void setEvents(String events) {
			this.events = events;
		}

		public String getModels() {
			return this.models;
		}

		public void setModels(String models) {
			this.models = models;
		}

	}

	/**
	 * Consuming observer queues. Other spring.rabbitmq.listener.direct.* settings apply
	 * too.
	 * <p>
	 * Observer queues are spread over consumer shards: a direct container on a connection
	 * of its own per {@code queues-per-connection} queues, because every consumed queue
	 * takes one channel and a connection has at most {@code channel_max} (2047 by
	 * default). 10,000 observers take 5 connections by default.
	 */
	public static class Consumer {

		/**
		 * Unacknowledged deliveries each observer queue's consumer may hold.
		 */
		private int prefetch = 250;

		/**
		 * Observer queues consumed on one connection (one channel each); more queues open
		 * more connections. Must stay below the broker's channel_max (2047 by default)
		 * less 16 spare channels; start-up fails otherwise.
		 */
		private int queuesPerConnection = 2000;

		/**
		 * Threads that run handlers, shared by every consumer connection. 0 means twice
		 * the available processors, the RabbitMQ client's own default for one connection.
		 */
		private int threads = 0;

		/**
		 * Channels that declare and bind observer queues in parallel when many are
		 * registered at once (at start-up); each pipelines its share.
		 */
		private int declareChannels = 32;

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public int getQueuesPerConnection() {
			return this.queuesPerConnection;
		}

		public void setQueuesPerConnection(int queuesPerConnection) {
			this.queuesPerConnection = queuesPerConnection;
		}

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		/**
		 * The handler threads in effect: {@link #getThreads()}, or twice the available
		 * processors when it is 0.
		 * @return how many threads run handlers
		 */
		public int threads() {
			return (this.threads > 0) ? this.threads : 2 * Runtime.getRuntime().availableProcessors();
		}

		public int getDeclareChannels() {
			return this.declareChannels;
		}

		public void setDeclareChannels(int declareChannels) {
			this.declareChannels = declareChannels;
		}

	}

	/**
	 * Loading active observers from the database.
	 */
	public static class Loader {

		/**
		 * Rows read per query (keyset paging) when loading active observers.
		 */
		private int pageSize = 500;

		public int getPageSize() {
			return this.pageSize;
		}

		public void setPageSize(int pageSize) {
			this.pageSize = pageSize;
		}

	}

	/**
	 * Publishing events.
	 */
	public static class Publisher {

		/**
		 * How long publishing waits for the broker's publisher confirm.
		 */
		private Duration confirmTimeout = Duration.ofSeconds(5);

		public Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

	}

}
