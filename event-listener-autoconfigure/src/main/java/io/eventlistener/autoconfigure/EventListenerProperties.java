package io.eventlistener.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

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

	private final Watcher watcher = new Watcher();

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

	public Watcher getWatcher() {
		return this.watcher;
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

	/**
	 * The model watcher: publishing a message after each committed change of an observer
	 * (or other watched) entity, and consuming those messages to register, rebind and
	 * unregister observers live.
	 */
	public static class Watcher {

		/**
		 * Whether this process consumes model-watcher messages: declares its exclusive
		 * watcher queue and registers, rebinds and unregisters observers live. Off,
		 * observer changes are only seen at start-up or by a resynchronisation.
		 */
		private boolean enabled = true;

		/**
		 * Whether model-watcher messages are published after each committed create,
		 * update or destroy of a watched entity (isimud's enable_model_watcher).
		 */
		private boolean publish = true;

		/**
		 * Schema that model-watcher messages carry and the watcher queue is bound with
		 * (schema.Type.*). Defaults to the name of the database the DataSource connects
		 * to, as isimud does; a Rails app sharing the broker must use the same.
		 */
		private @Nullable String schema;

		/**
		 * Whether the queue of an observer whose row was deleted is deleted with its
		 * waiting messages (isimud's behaviour), or kept. A disabled observer's queue is
		 * always kept.
		 */
		private boolean deleteQueuesOnDestroy = true;

		/**
		 * Largest model-watcher message body accepted; larger ones are rejected unread.
		 */
		private DataSize maxPayloadSize = DataSize.ofKilobytes(256);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isPublish() {
			return this.publish;
		}

		public void setPublish(boolean publish) {
			this.publish = publish;
		}

		public @Nullable String getSchema() {
			return this.schema;
		}

		public void setSchema(@Nullable String schema) {
			this.schema = schema;
		}

		public boolean isDeleteQueuesOnDestroy() {
			return this.deleteQueuesOnDestroy;
		}

		public void setDeleteQueuesOnDestroy(boolean deleteQueuesOnDestroy) {
			this.deleteQueuesOnDestroy = deleteQueuesOnDestroy;
		}

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

	}

}
