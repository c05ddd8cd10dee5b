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
	 */
	public static class Consumer {

		/**
		 * Unacknowledged deliveries each observer queue's consumer may hold.
		 */
		private int prefetch = 250;

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
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
