package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.eventlistener.EventExceptionHandler;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.assembly.ModelWatcherAssembly;
import io.eventlistener.audit.BrokerBindings;
import io.eventlistener.audit.ManagementApiBindings;
import io.eventlistener.dispatch.DeadLetterQueue;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.dispatch.DeliveryPipelineBuilder;
import io.eventlistener.dispatch.DeliveryRetry;
import io.eventlistener.dispatch.EventReplies;
import io.eventlistener.dispatch.ObserverConsumersBuilder;
import io.eventlistener.dispatch.OutageClassifier;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.dispatch.RequeueBackOff;
import io.eventlistener.dispatch.RetryMode;
import io.eventlistener.lifecycle.DatabaseStartupCheck;
import io.eventlistener.lifecycle.DatabaseStartupGate;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.ErrorLimitAction;
import io.eventlistener.lifecycle.StartupMode;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.outbox.PublisherIdentity;
import io.eventlistener.partition.Partitioning;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.QueueArguments;
import io.eventlistener.registry.QueueType;
import io.eventlistener.replay.DeadLetterReplayer;
import io.eventlistener.replay.ReplayTargets;
import io.eventlistener.wire.EventCodec;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
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

	/**
	 * Whether the listener starts with the application context: the active observers
	 * loaded, their queues declared and consumed, the watcher queue consumed and the
	 * resync scheduled. Off, all of that waits for an explicit start of the context; the
	 * beans exist and publishing works.
	 */
	private boolean autoStartup = true;

	private final Exchanges exchanges = new Exchanges();

	private final Queues queues = new Queues();

	private final Consumer consumer = new Consumer();

	private final Loader loader = new Loader();

	private final Publisher publisher = new Publisher();

	private final Outage outage = new Outage();

	private final Retry retry = new Retry();

	private final Requeue requeue = new Requeue();

	private final Error error = new Error(this.retry);

	private final DeadLetter deadLetter = new DeadLetter();

	private final Shutdown shutdown = new Shutdown();

	private final Startup startup = new Startup();

	private final Outbox outbox = new Outbox();

	private final Watcher watcher = new Watcher();

	private final Resync resync = new Resync();

	private final Management management = new Management();

	private final Replies replies = new Replies();

	private final Tracing tracing = new Tracing();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	public @Nullable String getQueuePrefix() {
		return this.queuePrefix;
	}

	public void setQueuePrefix(@Nullable String queuePrefix) {
		this.queuePrefix = queuePrefix;
	}

	/**
	 * The queue prefix in effect: this one, else the application's name.
	 * @param applicationName {@code spring.application.name}
	 * @return the prefix
	 * @throws QueuePrefixMissingException if neither is set
	 */
	String queuePrefixOr(@Nullable String applicationName) {
		String prefix = StringUtils.hasText(this.queuePrefix) ? this.queuePrefix : applicationName;
		if (!StringUtils.hasText(prefix)) {
			throw new QueuePrefixMissingException();
		}
		return prefix;
	}

	/**
	 * The prefix of the subscriptions' queue: the queue prefix, else
	 * {@code spring.application.name}, else {@code event-listener}.
	 * @param environment where the application's name is read
	 * @return the prefix
	 */
	String subscriptionsPrefixOr(Environment environment) {
		return StringUtils.hasText(this.queuePrefix) ? this.queuePrefix
				: environment.getProperty("spring.application.name", "event-listener");
	}

	/**
	 * What each message says about its publisher: {@code publisher.id}, else
	 * {@code spring.application.name}, and whether it carries a timestamp.
	 * @param environment where the application's name is read
	 * @return the identity
	 */
	PublisherIdentity publisherIdentity(Environment environment) {
		return this.publisher.identity(environment.getProperty("spring.application.name"));
	}

	/**
	 * The listener side's settings: the broker topology of the observer queues (declared
	 * on {@code consumer.declare-channels} channels, with the queue arguments and the
	 * dead-letter exchange when dead-lettering is on), the events exchange, the loader's
	 * page size, the dead letters (the recoverer, and the dead-letter queue declared on
	 * every connection unless dead-lettering is off), and how the lifecycle starts
	 * ({@code auto-startup}, {@code startup.mode}).
	 * @param builder the assembly's builder
	 * @param admin declares
	 * @param connectionFactory opens the declaring channels
	 * @param recoverer the dead-letter recoverer
	 * @param broadcastExpiry how long an unused broadcast queue lives
	 * @param environment names the threads
	 * @return the builder
	 */
	EventListenerAssembly.Builder applyTo(EventListenerAssembly.Builder builder, AmqpAdmin admin,
			ConnectionFactory connectionFactory, DeadLetterRecoverer recoverer, Duration broadcastExpiry,
			Environment environment) {
		BrokerTopology topology = new BrokerTopology(admin, connectionFactory, this.consumer.getDeclareChannels(),
				EventListenerThreads.perTask("declare", environment),
				this.queues.arguments(this.deadLetter.exchangeIfEnabled(builder.queueNames())));
		topology.setBroadcastExpiry(broadcastExpiry);
		return builder.topology(topology, this.exchanges.getEvents())
			.pageSize(this.loader.getPageSize())
			.deadLetters(recoverer,
					this.deadLetter.isEnabled() ? deadLetterQueue(connectionFactory, admin, builder.queueNames())
							: null)
			.lifecycle(this.autoStartup, (this.startup.getMode() == StartupMode.BACKGROUND)
					? EventListenerThreads.perTask("startup", environment) : null);
	}

	/**
	 * The dead-letter exchange and queue, declared on every connection.
	 * @param connectionFactory whose connections
	 * @param admin declares
	 * @param queueNames the default names' prefix
	 * @return the queue
	 */
	DeadLetterQueue deadLetterQueue(ConnectionFactory connectionFactory, AmqpAdmin admin, QueueNames queueNames) {
		return DeadLetterQueue.onEveryConnection(connectionFactory, admin, this.queues.arguments(null),
				this.deadLetter.queueOrDefault(queueNames), this.deadLetter.exchangeOrDefault(queueNames));
	}

	/**
	 * The settings of a delivery's failure path: the exception handlers with the retry
	 * mode, the retry in place and the requeue back-off.
	 * @param builder the pipeline's builder
	 * @param exceptionHandlers the application's exception handlers, in order
	 * @return the builder
	 */
	DeliveryPipelineBuilder applyTo(DeliveryPipelineBuilder builder, List<EventExceptionHandler> exceptionHandlers) {
		return builder.exceptionHandlers(exceptionHandlers, this.retry.getMode())
			.retry(this.retry.policy())
			.requeueBackOff(this.requeue.backOff());
	}

	/**
	 * The consumers' settings (the prefetch after Boot's
	 * {@code spring.rabbitmq.listener.direct.prefetch}, the shutdown timeout) and their
	 * partitioning.
	 * @param builder the consumers' builder
	 * @param boot the RabbitMQ settings of Boot's AMQP auto-configuration, if it ran
	 * @return the builder
	 */
	ObserverConsumersBuilder applyTo(ObserverConsumersBuilder builder, @Nullable RabbitProperties boot) {
		Integer bootPrefetch = (boot != null) ? boot.getListener().getDirect().getPrefetch() : null;
		return builder.settings(this.consumer.settings(bootPrefetch, this.shutdown.getTimeout()))
			.partitioning(this.consumer.getPartitioning());
	}

	/**
	 * The dead-letter replayer: it reads the dead-letter queue on a connection of its own
	 * and publishes each message back to the events exchange or to the observer queue it
	 * failed on, each publish confirmed within the publisher's confirm timeout.
	 * @param connectionFactory the Rabbit client factory of the application's connection
	 * @param queueNames names the dead-letter queue and the replayer's connection
	 * @param registry the registered observers, whose queues may be replayed to
	 * @return the replayer
	 */
	DeadLetterReplayer deadLetterReplayer(com.rabbitmq.client.ConnectionFactory connectionFactory,
			QueueNames queueNames, ObserverRegistry registry) {
		return new DeadLetterReplayer(connectionFactory, this.deadLetter.queueOrDefault(queueNames),
				queueNames.prefix() + ".dead-letter-replay", this.publisher.getConfirmTimeout(),
				ReplayTargets.of(this.exchanges.getEvents(), queueNames.prefix(), registry));
	}

	/**
	 * Map the publishing settings onto the builder: the confirm timeout (the relay's
	 * sends are bounded by it too), the publisher's identity and, when there is an outbox
	 * table, the relay's timing (every {@code outbox.relay-interval} it sends what waited
	 * longer than {@code outbox.retry-after}).
	 * @param builder the publishing side's builder
	 * @param environment where the application's name is read
	 * @return the builder
	 */
	EventPublishingAssembly.Builder applyTo(EventPublishingAssembly.Builder builder, Environment environment) {
		return builder.confirmTimeout(this.publisher.getConfirmTimeout())
			.identity(publisherIdentity(environment))
			.relayTiming(this.outbox.getRelayInterval(), this.outbox.getRetryAfter());
	}

	/**
	 * Map the watcher's settings onto the builder of its listening side: the exchanges, a
	 * resync every {@code resync.interval} (and after every reconnect), whether a deleted
	 * row's queue is deleted, auto-startup, and, with {@code watcher.enabled}, consuming
	 * model-watcher messages with the payload limit and coalescing (a flood of messages
	 * about one observer costs one database read per interval).
	 * @param builder the listening side's builder
	 * @param admin declares the watcher queue
	 * @return the builder
	 */
	ModelWatcherAssembly.Builder applyTo(ModelWatcherAssembly.Builder builder, AmqpAdmin admin) {
		builder.exchanges(this.exchanges.getEvents(), this.exchanges.getModels())
			.deleteQueuesOfDeletedRows(this.watcher.isDeleteQueuesOnDestroy())
			.resyncInterval(this.resync.getInterval())
			.payloads(this.watcher.getMaxPayloadSize().toBytes(), this.watcher.getCoalesceInterval())
			.autoStartup(this.autoStartup);
		return this.watcher.isEnabled() ? builder.consuming(admin) : builder;
	}

	public Exchanges getExchanges() {
		return this.exchanges;
	}

	public Queues getQueues() {
		return this.queues;
	}

	public Consumer getConsumer() {
		return this.consumer;
	}

	public Loader getLoader() {
		return this.loader;
	}

	public Outage getOutage() {
		return this.outage;
	}

	public Publisher getPublisher() {
		return this.publisher;
	}

	public Error getError() {
		return this.error;
	}

	public Requeue getRequeue() {
		return this.requeue;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public DeadLetter getDeadLetter() {
		return this.deadLetter;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Startup getStartup() {
		return this.startup;
	}

	public Outbox getOutbox() {
		return this.outbox;
	}

	public Watcher getWatcher() {
		return this.watcher;
	}

	public Resync getResync() {
		return this.resync;
	}

	public Replies getReplies() {
		return this.replies;
	}

	public Tracing getTracing() {
		return this.tracing;
	}

	public Management getManagement() {
		return this.management;
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
	 * How durable queues are declared: observer queues, application queues
	 * (EventQueueBinding) and the dead-letter queue. Watcher queues are exclusive and
	 * stay classic. The broker refuses to re-declare an existing queue with another type
	 * or other arguments, so changing these for existing queues means deleting them
	 * first.
	 */
	public static class Queues {

		/**
		 * Queue type: classic (no arguments, as isimud declares them) or quorum
		 * (replicated across a RabbitMQ cluster).
		 */
		private QueueType type = QueueType.CLASSIC;

		/**
		 * For quorum queues: deliveries of one message before the broker dead-letters it
		 * (x-delivery-limit), bounding a message that crashes its consumer. Unset, the
		 * broker's default applies: no limit on RabbitMQ 3.x, 20 on 4.0 and later.
		 */
		private @Nullable Integer deliveryLimit;

		/**
		 * For quorum queues: cluster nodes each queue is replicated on
		 * (x-quorum-initial-group-size). All nodes by default.
		 */
		private @Nullable Integer initialGroupSize;

		public QueueType getType() {
			return this.type;
		}

		public void setType(QueueType type) {
			this.type = type;
		}

		public @Nullable Integer getDeliveryLimit() {
			return this.deliveryLimit;
		}

		public void setDeliveryLimit(@Nullable Integer deliveryLimit) {
			this.deliveryLimit = deliveryLimit;
		}

		public @Nullable Integer getInitialGroupSize() {
			return this.initialGroupSize;
		}

		public void setInitialGroupSize(@Nullable Integer initialGroupSize) {
			this.initialGroupSize = initialGroupSize;
		}

		/**
		 * The arguments of observer, application and dead-letter queues.
		 * @param deadLetterExchange where quorum queues dead-letter what goes over the
		 * delivery limit, or {@code null}
		 */
		QueueArguments arguments(@Nullable String deadLetterExchange) {
			try {
				return new QueueArguments(this.type, this.deliveryLimit, this.initialGroupSize, deadLetterExchange);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Invalid event-listener.queues settings: " + ex.getMessage()
						+ " (set event-listener.queues.type=quorum, or remove delivery-limit and initial-group-size)",
						ex);
			}
		}

	}

	/**
	 * Consuming observer queues. Other spring.rabbitmq.listener.direct.* settings apply
	 * too.
	 * <p>
	 * Many observer consumers share a channel ({@code consumers-per-channel}, 100),
	 * channels share a connection ({@code channels-per-connection}, 500) and one bounded
	 * pool runs the handlers: 10,000 observers take 100 channels on one connection.
	 */
	public static class Consumer {

		/**
		 * Largest event body read; a larger one is rejected unread as malformed: dead-
		 * lettered and counted (event.listener.events, outcome malformed). The broker's
		 * own max_message_size bounds what arrives at all.
		 */
		private DataSize maxBodySize = DataSize.ofMegabytes(1);

		/**
		 * Unacknowledged deliveries each observer queue's consumer may hold. When unset,
		 * spring.rabbitmq.listener.direct.prefetch applies if that is set, and 250
		 * otherwise.
		 */
		private @Nullable Integer prefetch;

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

		/**
		 * How often a consumer that stopped without being asked (its queue deleted, its
		 * channel closed) is started again. A deleted queue of an active observer is
		 * declared again at once, so it is consumed again within about this long.
		 */
		private Duration restartInterval = Duration.ofMillis(500);

		/**
		 * How long a registered observer's queue may be without a consumer before health
		 * reports DOWN, naming the observers.
		 */
		private Duration gracePeriod = Duration.ofSeconds(10);

		/**
		 * none: every instance consumes every observer queue. dynamic: the instances
		 * share them out through a membership in the observers' database
		 * (event-listener.partition.*); every instance still declares and binds every
		 * queue, broadcast observers are unaffected.
		 */
		private Partitioning partitioning = Partitioning.NONE;

		/**
		 * Observer queues consumed on one channel.
		 */
		private int consumersPerChannel = 100;

		/**
		 * Channels on one connection; more channels open more connections. Must stay
		 * below the broker's channel_max (2047 by default) less 16 spare channels;
		 * start-up fails otherwise.
		 */
		private int channelsPerConnection = 500;

		/**
		 * Acknowledge handled deliveries in batches of this many (basic.ack with
		 * multiple=true, never past a delivery whose handler has not returned); 1
		 * acknowledges each delivery at once.
		 */
		private int messagesPerAck = 1;

		/**
		 * With messages-per-ack above 1, the longest a handled delivery waits for its
		 * acknowledgement.
		 */
		private Duration ackTimeout = Duration.ofMillis(20);

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

		public int getConsumersPerChannel() {
			return this.consumersPerChannel;
		}

		public void setConsumersPerChannel(int consumersPerChannel) {
			this.consumersPerChannel = consumersPerChannel;
		}

		public int getChannelsPerConnection() {
			return this.channelsPerConnection;
		}

		public void setChannelsPerConnection(int channelsPerConnection) {
			this.channelsPerConnection = channelsPerConnection;
		}

		public int getMessagesPerAck() {
			return this.messagesPerAck;
		}

		public void setMessagesPerAck(int messagesPerAck) {
			this.messagesPerAck = messagesPerAck;
		}

		public Duration getAckTimeout() {
			return this.ackTimeout;
		}

		public void setAckTimeout(Duration ackTimeout) {
			this.ackTimeout = ackTimeout;
		}

		public Duration getRestartInterval() {
			return this.restartInterval;
		}

		public void setRestartInterval(Duration restartInterval) {
			this.restartInterval = restartInterval;
		}

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

		public Partitioning getPartitioning() {
			return this.partitioning;
		}

		public void setPartitioning(Partitioning partitioning) {
			this.partitioning = partitioning;
		}

		public @Nullable Integer getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(@Nullable Integer prefetch) {
			this.prefetch = prefetch;
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

		/**
		 * The event codec, refusing bodies over {@code max-body-size}.
		 * @return the codec
		 */
		EventCodec codec() {
			EventCodec codec = new EventCodec();
			codec.setMaxBodySize(this.maxBodySize.toBytes());
			return codec;
		}

		/**
		 * The consumers' settings, with the prefetch in effect: this one, else Boot's,
		 * else {@value ObserverConsumersBuilder#DEFAULT_PREFETCH}.
		 * @param bootPrefetch {@code spring.rabbitmq.listener.direct.prefetch}, or
		 * {@code null}
		 * @param shutdownTimeout how long stopping waits for in-flight handlers
		 * @return the settings
		 */
		MultiplexedConsumers.Settings settings(@Nullable Integer bootPrefetch, Duration shutdownTimeout) {
			return new MultiplexedConsumers.Settings(this.consumersPerChannel, this.channelsPerConnection,
					ObserverConsumersBuilder.prefetch(this.prefetch, bootPrefetch), this.messagesPerAck,
					this.ackTimeout, this.restartInterval, shutdownTimeout);
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
	 * Pausing consumers while a resource the handlers need is down.
	 */
	public static class Outage {

		/**
		 * Pause consuming when a handler fails because the database (or a resource an
		 * OutageClassifier bean names) is down, instead of retrying and dead-lettering;
		 * resume once the database answers.
		 */
		private boolean enabled = true;

		/**
		 * The first wait between two probes of the database while paused; each next wait
		 * doubles.
		 */
		private Duration probeInterval = Duration.ofSeconds(1);

		/**
		 * The longest wait between two probes while paused: consuming resumes at most
		 * this long after the database is back.
		 */
		private Duration maxProbeInterval = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getProbeInterval() {
			return this.probeInterval;
		}

		public void setProbeInterval(Duration probeInterval) {
			this.probeInterval = probeInterval;
		}

		public Duration getMaxProbeInterval() {
			return this.maxProbeInterval;
		}

		public void setMaxProbeInterval(Duration maxProbeInterval) {
			this.maxProbeInterval = maxProbeInterval;
		}

		/**
		 * The outage pause these settings describe.
		 * @param classifier tells an outage from a failure
		 * @param probe asks whether the resource answers again
		 * @param clock the time source
		 * @param prober runs the probes
		 * @return the pause
		 */
		OutagePause pause(OutageClassifier classifier, OutagePause.Probe probe, Clock clock, Executor prober) {
			return new OutagePause(classifier, probe, this.probeInterval, this.maxProbeInterval, clock, prober);
		}

	}

	/**
	 * Publishing events.
	 */
	public static class Publisher {

		/**
		 * How long publishing waits for the broker's publisher confirm, the send itself
		 * included (on a frozen network, opening a channel or a connection).
		 */
		private Duration confirmTimeout = Duration.ofSeconds(5);

		/**
		 * The publisher id every published event and model change carries in the AMQP
		 * app_id property (Event#publisherId on the consuming side). Defaults to
		 * spring.application.name; without either, no app_id is set.
		 */
		private @Nullable String id;

		/**
		 * Whether published messages carry the AMQP timestamp property (the publication
		 * time, whole seconds; for an outbox message, when it was stored).
		 */
		private boolean timestamp = true;

		public Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

		public boolean isTimestamp() {
			return this.timestamp;
		}

		public void setTimestamp(boolean timestamp) {
			this.timestamp = timestamp;
		}

		/**
		 * The {@code app_id}: {@code id}, else the application's name, else none.
		 */
		PublisherIdentity identity(@Nullable String applicationName) {
			String name = StringUtils.hasText(this.id) ? this.id : applicationName;
			return new PublisherIdentity(StringUtils.hasText(name) ? name : null, this.timestamp);
		}

	}

	/**
	 * The error budget and what failed deliveries do (isimud's error_limit,
	 * error_interval and retry_failures).
	 */
	public static final class Error {

		/**
		 * Handler errors allowed within one interval; reaching it stops the listener.
		 */
		private int limit = 100;

		/**
		 * Length of the window errors are counted in.
		 */
		private Duration interval = Duration.ofHours(1);

		/**
		 * What reaching the error limit does, after it stops consuming: report the
		 * application's liveness as broken (Spring Boot's LivenessState.BROKEN, so that
		 * an orchestrator restarts the instance), exit the application with status 1
		 * (isimud's behaviour), or stay up and report the listener as stopped.
		 */
		private ErrorLimitAction onLimit = ErrorLimitAction.BROKEN;

		private final Retry retry;

		private Error(Retry retry) {
			this.retry = retry;
		}

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public ErrorLimitAction getOnLimit() {
			return this.onLimit;
		}

		public void setOnLimit(ErrorLimitAction onLimit) {
			this.onLimit = onLimit;
		}

		/**
		 * The old name of {@code event-listener.retry.mode}, which it reads and writes.
		 * @return the retry mode
		 * @deprecated since 0.1.0 for removal: use {@link Retry#getMode()}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "event-listener.retry.mode",
				reason = "Named for what it decides: whether a failed delivery is retried in place", since = "0.1.0")
		public RetryMode getRequeue() {
			return this.retry.getMode();
		}

		/**
		 * Set {@code event-listener.retry.mode} by its old name.
		 * @param requeue the retry mode
		 * @deprecated since 0.1.0 for removal: use {@link Retry#setMode(RetryMode)}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setRequeue(RetryMode requeue) {
			this.retry.setMode(requeue);
		}

		/**
		 * The error budget these settings describe.
		 * @param clock the time source
		 * @param events where its exhaustion is published
		 * @return the budget
		 */
		ErrorBudget budget(Clock clock, ApplicationEventPublisher events) {
			return new ErrorBudget(this.limit, this.interval, clock, events);
		}

	}

	/**
	 * An exponential back-off: the one settings type of the waits before a delivery is
	 * tried again, whether it failed ({@code retry.*}) or its handler requeued it
	 * ({@code requeue.*}).
	 */
	public abstract static class BackOff {

		/**
		 * Wait before a delivery is tried again the first time.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Factor each further wait grows by.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest wait before a delivery is tried again.
		 */
		private Duration maxInterval;

		BackOff(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

	}

	/**
	 * Retrying a failed delivery in place, with exponential back-off (longest wait 10s).
	 * Replaces spring.rabbitmq.listener.direct.retry.* for observer queues.
	 */
	public static class Retry extends BackOff {

		/**
		 * Whether a failed delivery is tried again in place: always (up to max-attempts),
		 * never (dead-letter at once), or vote (while every EventExceptionHandler bean
		 * votes yes).
		 */
		private RetryMode mode = RetryMode.ALWAYS;

		/**
		 * Handler invocations per delivery before it is dead-lettered.
		 */
		private int maxAttempts = 3;

		public Retry() {
			super(Duration.ofSeconds(10));
		}

		public RetryMode getMode() {
			return this.mode;
		}

		public void setMode(RetryMode mode) {
			this.mode = mode;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		RetryPolicy policy() {
			return DeliveryRetry.policy(this.maxAttempts, getInitialInterval(), getMultiplier(), getMaxInterval());
		}

	}

	/**
	 * How a delivery a handler requeued ({@code EventRequeueException}, or an annotated
	 * method returning {@code EventOutcome.REQUEUE}) is tried again: in place, after a
	 * growing back-off (longest wait 30s), at most {@code max-requeues} times, then
	 * dead-lettered. Requeues are not failures: they use none of the retry attempts and
	 * do not count against the error budget.
	 */
	public static class Requeue extends BackOff {

		/**
		 * How often one delivery may be requeued by its handler; one more requeue
		 * dead-letters it. 0 dead-letters at the first requeue.
		 */
		private int maxRequeues = 5;

		public Requeue() {
			super(Duration.ofSeconds(30));
		}

		public int getMaxRequeues() {
			return this.maxRequeues;
		}

		public void setMaxRequeues(int maxRequeues) {
			this.maxRequeues = maxRequeues;
		}

		RequeueBackOff backOff() {
			return new RequeueBackOff(this.maxRequeues, getInitialInterval(), getMultiplier(), getMaxInterval());
		}

	}

	/**
	 * Where deliveries go that will not be tried again.
	 */
	public static class DeadLetter {

		/**
		 * Whether failed deliveries are republished to the dead-letter exchange. Switch
		 * off only for brokers that cannot dead-letter; failed deliveries are then logged
		 * and discarded.
		 */
		private boolean enabled = true;

		/**
		 * Dead-letter topic exchange. Defaults to {queue-prefix}.dead-letter.
		 */
		private @Nullable String exchange;

		/**
		 * Durable queue bound to the dead-letter exchange with '#'. Defaults to
		 * {queue-prefix}.dead-letter.
		 */
		private @Nullable String queue;

		/**
		 * Whether dead letters carry the failure's stack trace (x-exception-stacktrace,
		 * bounded). Off, as in Spring AMQP: any reader of the virtual host can bind to
		 * the dead-letter exchange. The exception message (x-exception-message) is always
		 * there.
		 */
		private boolean includeStackTrace;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isIncludeStackTrace() {
			return this.includeStackTrace;
		}

		public void setIncludeStackTrace(boolean includeStackTrace) {
			this.includeStackTrace = includeStackTrace;
		}

		public @Nullable String getExchange() {
			return this.exchange;
		}

		public void setExchange(@Nullable String exchange) {
			this.exchange = exchange;
		}

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		@Nullable String exchangeIfEnabled(QueueNames names) {
			return this.enabled ? exchangeOrDefault(names) : null;
		}

		String exchangeOrDefault(QueueNames names) {
			return (this.exchange != null) ? this.exchange : names.prefix() + ".dead-letter";
		}

		String queueOrDefault(QueueNames names) {
			return (this.queue != null) ? this.queue : names.prefix() + ".dead-letter";
		}

		/**
		 * What is done with a delivery that failed every attempt: republished to the
		 * dead-letter exchange, or, with dead-lettering off, logged and discarded (said
		 * once, at start-up). It republishes on a bounded pool of threads of its own.
		 * @param template makes the template it republishes with; not called when off
		 * @param queueNames the default exchange's prefix
		 * @param observations observes its sends, or {@code null} when they are not
		 * @return the recoverer
		 */
		DeadLetterRecoverer recoverer(Supplier<RabbitTemplate> template, QueueNames queueNames,
				@Nullable ObservationRegistry observations) {
			DeadLetterRecoverer recoverer;
			if (!this.enabled) {
				LogFactory.getLog(EventListenerAutoConfiguration.class)
					.warn("Dead-lettering is off (event-listener.dead-letter.enabled=false): deliveries that fail "
							+ "every attempt, and malformed ones, are logged and discarded");
				recoverer = DeadLetterRecoverer.discarding();
			}
			else {
				recoverer = DeadLetterRecoverer.republishing(template.get(), exchangeOrDefault(queueNames),
						EventListenerThreads.pooled("dead-letter-publisher"), this.includeStackTrace);
			}
			if (observations != null) {
				recoverer.setObservationRegistry(observations);
			}
			return recoverer;
		}

	}

	/**
	 * Starting.
	 */
	public static class Startup {

		/**
		 * How long start-up waits, in all, for the database to answer (retrying with
		 * back-off, logging each attempt) before the start fails: long enough for a
		 * database restart or fail-over, short enough that a supervisor sees a start that
		 * cannot succeed.
		 */
		private Duration databaseWait = Duration.ofMinutes(5);

		/**
		 * Whether the context's start waits until every active observer is consumed
		 * (blocking, the default: the application is consuming when run() returns) or
		 * returns once the consumers run and loads the observers on the
		 * event-listener-startup thread (background: the web server starts at once and
		 * the eventListener health says STARTING with the count registered so far).
		 */
		private StartupMode mode = StartupMode.BLOCKING;

		/**
		 * The gate start-up waits at for the database, up to {@code database-wait}.
		 * @param dataSource the application's database
		 * @param environment where its URL is read, for the log
		 * @return the gate
		 */
		DatabaseStartupGate gate(DataSource dataSource, Environment environment) {
			return new DatabaseStartupGate(dataSource, databaseUrl(environment), this.databaseWait,
					EventListenerThreads.ofItsOwn("database-wait-abort"));
		}

		/**
		 * The check that explains a database start-up cannot reach; an unreachable one
		 * only fails it when Hibernate reads JDBC metadata at start-up.
		 * @param dataSource the application's database
		 * @param environment where its URL and Hibernate's setting are read
		 * @return the check
		 */
		DatabaseStartupCheck check(DataSource dataSource, Environment environment) {
			boolean hibernateReadsMetadata = environment
				.getProperty("spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access", Boolean.class, true);
			return new DatabaseStartupCheck(dataSource, databaseUrl(environment), hibernateReadsMetadata);
		}

		private static String databaseUrl(Environment environment) {
			return environment.getProperty("spring.datasource.url", "(the DataSource)");
		}

		public StartupMode getMode() {
			return this.mode;
		}

		public void setMode(StartupMode mode) {
			this.mode = mode;
		}

		public Duration getDatabaseWait() {
			return this.databaseWait;
		}

		public void setDatabaseWait(Duration databaseWait) {
			this.databaseWait = databaseWait;
		}

	}

	/**
	 * Stopping gracefully.
	 */
	public static class Shutdown {

		/**
		 * How long stopping waits for in-flight handlers to finish; deliveries not
		 * finished by then are returned to their queues.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Whether the starter installs SIGTERM and SIGINT handlers that end a started
		 * process with status 0 after the graceful shutdown (as isimud did). Off by
		 * default: the JVM's signal handling is the application's, and Spring Boot's
		 * shutdown hook stops it gracefully with the JVM's status, 143 or 130. A signal
		 * during start-up keeps the JVM's status either way.
		 */
		private boolean exitZeroOnSignal;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public boolean isExitZeroOnSignal() {
			return this.exitZeroOnSignal;
		}

		public void setExitZeroOnSignal(boolean exitZeroOnSignal) {
			this.exitZeroOnSignal = exitZeroOnSignal;
		}

	}

	/**
	 * The transactional outbox for events and model-watcher messages published inside a
	 * database transaction.
	 */
	public static class Outbox {

		/**
		 * Whether messages published inside a transaction go through the outbox table
		 * (event_listener_outbox) of the application's DataSource.
		 */
		private boolean enabled = true;

		/**
		 * How often the relay looks for messages the broker has not confirmed.
		 */
		private Duration relayInterval = Duration.ofSeconds(10);

		/**
		 * How long a stored message waits before the relay sends it again. When the
		 * broker stops blocking publishers or a publishing connection is made, what
		 * waited is sent at once instead.
		 */
		private Duration retryAfter = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRelayInterval() {
			return this.relayInterval;
		}

		public void setRelayInterval(Duration relayInterval) {
			this.relayInterval = relayInterval;
		}

		public Duration getRetryAfter() {
			return this.retryAfter;
		}

		public void setRetryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
		}

	}

	/**
	 * Tracing of the starter's own sends and deliveries with Micrometer Tracing.
	 */
	public static class Tracing {

		/**
		 * Whether, when the application has Micrometer Tracing's Tracer, the event
		 * listener's own consumers and the templates it publishes and dead-letters with
		 * are observed and each event carries its publisher's trace: stored with its
		 * outbox row, continued by the handler after a relay send, retries in place, a
		 * dead letter and its replay, and linked from a batch's span. Without a Tracer it
		 * changes nothing; event-listener.observation.enabled switches observations on
		 * either way.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
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

		/**
		 * After a model-watcher message has an observer's row read, further messages for
		 * the same observer within this interval are coalesced into one re-read at its
		 * end, so a flood for one key costs about one database read per interval. Zero
		 * reads the row for every message.
		 */
		private Duration coalesceInterval = Duration.ofSeconds(1);

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

		public Duration getCoalesceInterval() {
			return this.coalesceInterval;
		}

		public void setCoalesceInterval(Duration coalesceInterval) {
			this.coalesceInterval = coalesceInterval;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

	}

	/**
	 * Resynchronising the registry from the database (besides after every reconnect).
	 */
	public static class Resync {

		/**
		 * How often all active observers are reloaded and the difference applied, to
		 * catch changes no model-watcher message announced.
		 */
		private Duration interval = Duration.ofMinutes(5);

		/**
		 * Whether each resync also removes the bindings on observer queues that no
		 * observer row asks for (needs management.url); off, they are only logged.
		 */
		private boolean removeStrayBindings = false;

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public boolean isRemoveStrayBindings() {
			return this.removeStrayBindings;
		}

		public void setRemoveStrayBindings(boolean removeStrayBindings) {
			this.removeStrayBindings = removeStrayBindings;
		}

	}

	/**
	 * The broker's management HTTP API, which the binding audit reads the bindings of the
	 * observer queues from.
	 */
	public static class Management {

		/**
		 * Base URL of RabbitMQ's management API, such as http://rabbit.internal:15672.
		 * Setting it turns the binding audit on: a log line at each resync and the
		 * eventlistenerbindings endpoint.
		 */
		private @Nullable String url;

		/**
		 * Management API user; defaults to the AMQP connection's user.
		 */
		private @Nullable String username;

		/**
		 * Management API password; defaults to the AMQP connection's password.
		 */
		private @Nullable String password;

		/**
		 * How long a management API request may take, connecting included.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		/**
		 * The observer queues' bindings, read from this management API (user and password
		 * default to the connection's).
		 * @param connectionFactory the AMQP connection
		 * @return the bindings reader
		 */
		BrokerBindings bindings(ConnectionFactory connectionFactory) {
			Assert.state(this.url != null, "event-listener.management.url is not set");
			return ManagementApiBindings.of(this.url, connectionFactory, this.username, this.password, this.timeout);
		}

	}

	/**
	 * Replies of reply handlers to requests.
	 */
	public static class Replies {

		/**
		 * Queues, besides RabbitMQ's direct reply-to (amq.rabbitmq.reply-to and
		 * amq.rabbitmq.reply-to.*, always allowed), that a request's reply_to may name:
		 * names or patterns with '*' wildcards. A reply to any other queue is dropped,
		 * logged and counted (event.listener.replies, outcome refused); the request is
		 * handled and acknowledged as usual.
		 */
		private List<String> allowedQueues = new ArrayList<>();

		/**
		 * Whether an error reply carries the handler's exception message, besides its
		 * type and code. Off, since a message may hold SQL text or data.
		 */
		private boolean includeExceptionMessage;

		public List<String> getAllowedQueues() {
			return this.allowedQueues;
		}

		public void setAllowedQueues(List<String> allowedQueues) {
			this.allowedQueues = allowedQueues;
		}

		public boolean isIncludeExceptionMessage() {
			return this.includeExceptionMessage;
		}

		public void setIncludeExceptionMessage(boolean includeExceptionMessage) {
			this.includeExceptionMessage = includeExceptionMessage;
		}

		/**
		 * Apply these settings.
		 * @param replies the replies
		 * @return the replies
		 */
		EventReplies applyTo(EventReplies replies) {
			replies.setAllowedQueues(this.allowedQueues);
			replies.setIncludeExceptionMessage(this.includeExceptionMessage);
			return replies;
		}

	}

}
