package io.eventlistener.assembly;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

import io.eventlistener.EventPublisher;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.outbox.BrokerBlocking;
import io.eventlistener.outbox.ConfirmedSender;
import io.eventlistener.outbox.MessageOutbox;
import io.eventlistener.outbox.OutboxRelay;
import io.eventlistener.outbox.OutboxRepository;
import io.eventlistener.outbox.PublisherIdentity;
import io.eventlistener.publish.ConfirmingEventPublisher;
import io.eventlistener.publish.EventRequester;
import io.eventlistener.tracing.OutboxTracing;
import io.eventlistener.wire.EventCodec;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.event.AmqpEvent;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;

/**
 * The publishing side, built together from one {@link Builder}: the
 * {@link ConfirmedSender} (each send bounded by the confirm timeout), the
 * {@link MessageOutbox} that stores a message published inside a transaction and sends it
 * after the commit, the {@link OutboxRelay} that sends what waited (when there is an
 * outbox table) as soon as the broker unblocks or a publishing connection is made, and
 * the {@link EventPublisher}. The application's parts are read from its bean factory: the
 * {@link OutboxRepository}, the {@link EventRequester} and the {@link Clock} if there
 * are. The assembly is what the context sees of the parts: it hands the broker's blocked
 * and unblocked events to the sender, starts and stops the relay in the listener's phase
 * (after the database is known to answer), and destroys the sender's threads.
 */
public final class EventPublishingAssembly implements SmartLifecycle, ApplicationListener<AmqpEvent>, DisposableBean {

	private final ConfirmedSender sender;

	private final MessageOutbox outbox;

	private final @Nullable OutboxRelay relay;

	private final ConfirmingEventPublisher publisher;

	private EventPublishingAssembly(Builder builder, Sending threads, ListableBeanFactory beans) {
		Clock clock = beans.getBeanProvider(Clock.class).getIfAvailable(Clock::systemUTC);
		this.sender = new ConfirmedSender(threads.template(), builder.confirmTimeout, new BrokerBlocking(clock),
				threads.sends(), threads.asyncSends());
		OutboxRepository repository = beans.getBeanProvider(OutboxRepository.class).getIfAvailable();
		this.outbox = new MessageOutbox(repository, this.sender, clock, builder.identity);
		if (builder.observations != null) {
			this.sender.setObservationRegistry(builder.observations);
			this.outbox.setTracing(new OutboxTracing(builder.observations));
		}
		this.relay = (repository != null) ? relay(builder, repository, clock) : null;
		this.publisher = new ConfirmingEventPublisher(this.outbox, builder.codec, builder.eventsExchange);
		this.publisher.setRequester(beans.getBeanProvider(EventRequester.class).getIfAvailable());
	}

	private OutboxRelay relay(Builder builder, OutboxRepository repository, Clock clock) {
		Assert.state(builder.relayScheduler != null && builder.relayConnections != null,
				"an outbox table needs a relay");
		OutboxRelay relay = new OutboxRelay(repository, this.outbox, clock, builder.relayInterval,
				builder.relayRetryAfter, builder.createSchema, builder.relayScheduler);
		relay.setSendTimeout(builder.confirmTimeout);
		relay.relayWhenReady(this.sender.blocking(), builder.relayConnections);
		return relay;
	}

	/** Hands a connection's blocked or unblocked event to the sender. */
	@Override
	public void onApplicationEvent(AmqpEvent event) {
		this.sender.onApplicationEvent(event);
	}

	/** Starts the relay, if there is an outbox table: it creates it if missing. */
	@Override
	public void start() {
		if (this.relay != null) {
			this.relay.start();
		}
	}

	@Override
	public void stop() {
		if (this.relay != null) {
			this.relay.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.relay != null && this.relay.isRunning();
	}

	/**
	 * The relay's phase: with the event listener, after the database is known to answer.
	 */
	@Override
	public int getPhase() {
		return (this.relay != null) ? this.relay.getPhase() : EventListenerLifecycle.PHASE;
	}

	/** Ends the sender's threads. */
	@Override
	public void destroy() {
		this.sender.destroy();
	}

	/**
	 * Start building the publishing side.
	 * @param codec writes event bodies
	 * @param eventsExchange the exchange events are published to
	 * @return the builder
	 */
	public static Builder builder(EventCodec codec, String eventsExchange) {
		return new Builder(codec, eventsExchange);
	}

	/** Sends each message and waits for its confirm, bounded by the confirm timeout. */
	public ConfirmedSender sender() {
		return this.sender;
	}

	/** Sends a message now, or stores it with the transaction and sends it after. */
	public MessageOutbox outbox() {
		return this.outbox;
	}

	/** Sends what waited in the outbox table; {@code null} without one. */
	public @Nullable OutboxRelay relay() {
		return this.relay;
	}

	/** Publishes events: through the outbox, each confirmed by the broker. */
	public EventPublisher publisher() {
		return this.publisher;
	}

	/**
	 * The settings of an {@link EventPublishingAssembly}: each part's own, in one place.
	 */
	public static final class Builder {

		private final EventCodec codec;

		private final String eventsExchange;

		private @Nullable RabbitTemplate template;

		private Duration confirmTimeout = Duration.ofSeconds(5);

		private @Nullable ThreadFactory sendThreads;

		private @Nullable ThreadFactory asyncSendThreads;

		private PublisherIdentity identity = PublisherIdentity.NONE;

		private @Nullable ObservationRegistry observations;

		private Duration relayInterval = Duration.ofSeconds(10);

		private Duration relayRetryAfter = Duration.ofSeconds(30);

		private Runnable createSchema = () -> {
		};

		private @Nullable TaskScheduler relayScheduler;

		private @Nullable ConnectionFactory relayConnections;

		private Builder(EventCodec codec, String eventsExchange) {
			this.codec = codec;
			this.eventsExchange = eventsExchange;
		}

		/**
		 * Send with this template, on connections with correlated publisher confirms.
		 * @param template sends
		 * @param sendThreads the bounded send pool's threads
		 * @param asyncSendThreads the thread asynchronous sends leave on, in order
		 * @return this builder
		 */
		public Builder sender(RabbitTemplate template, ThreadFactory sendThreads, ThreadFactory asyncSendThreads) {
			this.template = template;
			this.sendThreads = sendThreads;
			this.asyncSendThreads = asyncSendThreads;
			return this;
		}

		/** How long a send waits for its confirm; the relay's sends too. */
		public Builder confirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
			return this;
		}

		/** What each message says about its publisher (app id, timestamp). */
		public Builder identity(PublisherIdentity identity) {
			this.identity = identity;
			return this;
		}

		/**
		 * Observe each send, and trace the outbox's.
		 * @param observations the registry, or {@code null} for no observations
		 * @return this builder
		 */
		public Builder observations(@Nullable ObservationRegistry observations) {
			this.observations = observations;
			return this;
		}

		/**
		 * How often the relay looks for waiting messages and how long one waits before it
		 * is sent again.
		 * @param interval between rounds
		 * @param retryAfter how long a message waits
		 * @return this builder
		 */
		public Builder relayTiming(Duration interval, Duration retryAfter) {
			this.relayInterval = interval;
			this.relayRetryAfter = retryAfter;
			return this;
		}

		/**
		 * Relay what waits in the outbox table, when there is one.
		 * @param createSchema creates the table if it is missing, when the relay starts
		 * @param scheduler runs the rounds
		 * @param publisherConnections the connections the outbox sends on: a new one has
		 * what waits sent at once
		 * @return this builder
		 */
		public Builder relay(Runnable createSchema, TaskScheduler scheduler, ConnectionFactory publisherConnections) {
			this.createSchema = createSchema;
			this.relayScheduler = scheduler;
			this.relayConnections = publisherConnections;
			return this;
		}

		/**
		 * Build the publishing side with the application's parts.
		 * @param beans the application's bean factory
		 * @return the assembly
		 */
		public EventPublishingAssembly build(ListableBeanFactory beans) {
			Assert.state(this.template != null && this.sendThreads != null && this.asyncSendThreads != null,
					"a sender is required");
			return new EventPublishingAssembly(this,
					new Sending(this.template, this.sendThreads, this.asyncSendThreads), beans);
		}

	}

	/** What the sender is made with. */
	private record Sending(RabbitTemplate template, ThreadFactory sends, ThreadFactory asyncSends) {

	}

}
