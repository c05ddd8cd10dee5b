package io.eventlistener.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventlistener.BrokerBlockedException;
import io.eventlistener.EventPublishException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.event.AmqpEvent;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;

/**
 * Sends one message and waits for the broker's publisher confirm: a nack, a timeout or a
 * send failure is an {@link EventPublishException}. isimud switched confirms on and never
 * waited for them.
 * <p>
 * What goes on the wire is only what the caller built: Spring AMQP's own correlation
 * headers are kept off. {@code RabbitTemplate} adds
 * {@code spring_returned_message_correlation} to every message sent with a
 * {@link CorrelationData} that has an id, and {@code spring_listener_return_correlation}
 * to every mandatory one, so that it can match a returned message to its confirm; this
 * sender waits for confirms only (unroutable messages are not returned), so it sends with
 * an empty correlation id and without the mandatory flag, whatever
 * {@code spring.rabbitmq.template.mandatory} says.
 * <p>
 * A caller never waits longer than the confirm timeout, whatever the broker or the
 * network does. While the broker blocks publishers ({@link BrokerBlocking}) the send is
 * refused at once with a {@link BrokerBlockedException}. Otherwise the template call runs
 * on one of {@value #THREADS} publisher threads ({@code event-listener-publisher-N}) and
 * the caller waits for it and the confirm together until the deadline: on a frozen
 * network the RabbitMQ client waits for a new channel's or connection's answer until the
 * heartbeat gives the connection up (minutes with Boot's 60 s), and that wait now holds
 * only a publisher thread. When every thread is stuck and {@value #QUEUED} sends wait for
 * one, the next send is refused at once. A message whose confirm timed out may still
 * reach the broker (it was sent, or is being sent, and is confirmed late, or held by a
 * blocked connection until the alarm ends): a late confirm is logged, and publishing such
 * a message again may deliver it twice. One that never left the queue is not sent.
 * <p>
 * The send runs on a publisher thread in the caller's current observation (given an
 * {@link #setObservationRegistry observation registry}), so the template's own
 * observation, and the trace context Micrometer Tracing puts in the message's headers,
 * continue the caller's trace rather than start one of their own.
 * <p>
 * The sender owns its {@link BrokerBlocking}: as a bean it hands it the connection
 * factories' blocked and unblocked events, and {@link #blocking()} shows it to those that
 * report or wait for the end of an alarm (the health indicator, the meters, the outbox
 * relay).
 */
public class ConfirmedSender implements DisposableBean, ApplicationListener<AmqpEvent> {

	/**
	 * Publisher threads: each hands a message to the client, the confirm is awaited by
	 * the caller.
	 */
	static final int THREADS = 4;

	/** Sends that may wait for a publisher thread before a send is refused at once. */
	static final int QUEUED = 64;

	/**
	 * Asynchronous sends that may wait for the asynchronous publisher thread; past that,
	 * {@link #sendAsync} waits for room (back-pressure), at most the confirm timeout.
	 */
	static final int ASYNC_QUEUED = 4096;

	/** Asynchronous sends published on one channel checkout. */
	static final int ASYNC_BATCH = 256;

	private static final Log logger = LogFactory.getLog(ConfirmedSender.class);

	private final RabbitTemplate template;

	private final Duration confirmTimeout;

	private final BrokerBlocking blocking;

	private final ThreadPoolExecutor executor;

	private final ThreadPoolExecutor asyncExecutor;

	private final BlockingQueue<AsyncSend> asyncSends = new ArrayBlockingQueue<>(ASYNC_QUEUED);

	/** Whether a drain of {@link #asyncSends} is scheduled or running. */
	private final AtomicBoolean draining = new AtomicBoolean();

	private ObservationRegistry observations = ObservationRegistry.NOOP;

	/**
	 * Create a new {@code ConfirmedSender}.
	 * @param template a template whose connection factory has correlated publisher
	 * confirms
	 * @param confirmTimeout how long a caller waits for the send and the broker's confirm
	 * @param blocking tells whether the broker blocks publishers now
	 * @param publisherThreads makes the {@value #THREADS} publisher threads (daemon
	 * threads, so that none keeps the JVM up)
	 * @param asyncPublisherThreads makes the one asynchronous publisher thread
	 */
	public ConfirmedSender(RabbitTemplate template, Duration confirmTimeout, BrokerBlocking blocking,
			ThreadFactory publisherThreads, ThreadFactory asyncPublisherThreads) {
		this(template, confirmTimeout, blocking, publisherThreads, asyncPublisherThreads, THREADS, QUEUED);
	}

	ConfirmedSender(RabbitTemplate template, Duration confirmTimeout, BrokerBlocking blocking,
			ThreadFactory publisherThreads, ThreadFactory asyncPublisherThreads, int threads, int queued) {
		if (!template.getConnectionFactory().isPublisherConfirms()) {
			throw new IllegalStateException("Publishing events needs correlated publisher confirms: "
					+ "give the template a connection factory with setPublisherConfirmType(CORRELATED)");
		}
		this.template = template;
		this.confirmTimeout = confirmTimeout;
		this.blocking = blocking;
		// a pool of its own, bounded and refusing when full: a send's bound is the point
		this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
				publisherThreads);
		this.executor.allowCoreThreadTimeOut(true);
		// one thread: asynchronous sends leave in the order they were made
		this.asyncExecutor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				asyncPublisherThreads);
		this.asyncExecutor.allowCoreThreadTimeOut(true);
	}

	/**
	 * Whether the broker blocks publishers now, as this sender sees it.
	 * @return the sender's broker blocking
	 */
	public BrokerBlocking blocking() {
		return this.blocking;
	}

	/**
	 * Hand a connection's blocked or unblocked event to the {@link #blocking()}.
	 * @param event the event
	 */
	@Override
	public void onApplicationEvent(AmqpEvent event) {
		this.blocking.onApplicationEvent(event);
	}

	/**
	 * Set the registry whose current observation a send continues on the publisher
	 * thread. Defaults to none ({@link ObservationRegistry#NOOP}): the template's
	 * observation, if on, starts without a parent.
	 * @param observations the application's observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observations) {
		this.observations = observations;
	}

	/**
	 * Send without waiting: the future completes when the broker confirms the message,
	 * exceptionally with an {@link EventPublishException} when it nacks it (with its
	 * reason), when the send fails, or when no confirm came within the confirm timeout
	 * (measured from this call; the message may then still be delivered). One publisher
	 * thread sends what waits, in the order it was given: a batch on one channel, the
	 * next once the broker confirmed it (or the confirm timeout passed); when
	 * {@value #ASYNC_QUEUED} sends wait for it, this call waits for room (back-pressure),
	 * at most the confirm timeout.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message, with its message id set
	 * @return the confirm's outcome; a {@link BrokerBlockedException} at once while the
	 * broker blocks publishers
	 */
	public CompletableFuture<Void> sendAsync(String exchange, String routingKey, Message message) {
		AsyncSend send = new AsyncSend(exchange, routingKey, message, this.observations.getCurrentObservation());
		Optional<BrokerBlocking.Blocked> blocked = this.blocking.current();
		if (blocked.isPresent()) {
			return CompletableFuture
				.failedFuture(new BrokerBlockedException("The broker is blocking publishers (" + blocked.get().reason()
						+ ", since " + blocked.get().since() + "): " + send.what + " was not sent"));
		}
		try {
			if (this.asyncExecutor.isShutdown()) {
				throw new EventPublishException("The publisher is shut down: " + send.what + " was not sent");
			}
			if (!this.asyncSends.offer(send, this.confirmTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new EventPublishException("The broker did not take earlier sends within " + this.confirmTimeout
						+ ": " + send.what + " was not sent");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return CompletableFuture
				.failedFuture(new EventPublishException("Interrupted while waiting to send " + send.what, ex));
		}
		catch (EventPublishException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		scheduleDrain();
		CompletableFuture.delayedExecutor(this.confirmTimeout.toNanos(), TimeUnit.NANOSECONDS)
			.execute(() -> timeOut(send));
		return send.result;
	}

	private void scheduleDrain() {
		if (this.draining.compareAndSet(false, true)) {
			try {
				this.asyncExecutor.execute(this::drainAsyncSends);
			}
			catch (RejectedExecutionException ex) {
				this.draining.set(false);
				for (AsyncSend send = this.asyncSends.poll(); send != null; send = this.asyncSends.poll()) {
					send.fail(new EventPublishException("The publisher is shut down: " + send.what + " was not sent",
							ex));
				}
			}
		}
	}

	/**
	 * Send what waits, a batch per channel, until nothing does.
	 */
	private void drainAsyncSends() {
		List<AsyncSend> batch = new ArrayList<>(ASYNC_BATCH);
		while (true) {
			this.asyncSends.drainTo(batch, ASYNC_BATCH);
			if (batch.isEmpty()) {
				this.draining.set(false);
				// a send offered after the drain and before the flag cleared
				if (this.asyncSends.isEmpty() || !this.draining.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			try {
				this.template.execute((channel) -> {
					for (AsyncSend send : batch) {
						if (send.taken.compareAndSet(false, true)) {
							inScope(send.parent, () -> this.template.doSend(channel, send.exchange, send.routingKey,
									send.message, false, send.correlation));
							send.awaitConfirm();
						}
					}
					return null;
				});
			}
			catch (RuntimeException ex) {
				// those sent before the failure hear from their confirm
				batch.stream()
					.filter((send) -> !send.awaitingConfirm)
					.forEach((send) -> send.fail(
							new EventPublishException("Could not publish " + send.what + ": " + ex.getMessage(), ex)));
			}
			awaitConfirms(batch);
			batch.clear();
		}
	}

	/**
	 * Wait for a batch's confirms before sending the next: the next batch may go out on
	 * another channel, and only one channel keeps the order. Each send's own timeout
	 * tells its caller; this wait only bounds the thread's.
	 */
	private void awaitConfirms(List<AsyncSend> batch) {
		CompletableFuture<?>[] confirms = batch.stream()
			.filter((send) -> send.awaitingConfirm)
			.map((send) -> send.correlation.getFuture())
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(confirms).get(this.confirmTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// told to each send's caller by its own future
		}
	}

	private void timeOut(AsyncSend send) {
		if (send.result.isDone()) {
			return;
		}
		if (send.taken.compareAndSet(false, true)) {
			this.asyncSends.remove(send);
			send.fail(new EventPublishException("The broker did not answer within " + this.confirmTimeout
					+ " (the publisher thread waits for it): " + send.what + " was not sent"));
			return;
		}
		if (send.fail(new EventPublishException("No publisher confirm for " + send.what + " within "
				+ this.confirmTimeout + "; it may still be delivered, so publishing it again may duplicate it"))) {
			reportLateConfirm(send.correlation, send.what, send.message.getMessageProperties().getMessageId());
		}
	}

	/**
	 * Send and wait for the confirm, at most the confirm timeout in all.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message, with its message id set
	 * @throws EventPublishException if the broker did not confirm the message in time
	 * @throws BrokerBlockedException if the broker blocks publishers now
	 */
	public void send(String exchange, String routingKey, Message message) {
		String what = "message " + routingKey + " to exchange " + exchange;
		this.blocking.current().ifPresent((blocked) -> {
			throw new BrokerBlockedException("The broker is blocking publishers (" + blocked.reason() + ", since "
					+ blocked.since() + "): " + what + " was not sent");
		});
		long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
		// an empty id: the confirm is matched by sequence number, and no return header
		CorrelationData correlation = new CorrelationData("");
		AtomicBoolean taken = new AtomicBoolean();
		Observation parent = this.observations.getCurrentObservation();
		FutureTask<Void> sending = new FutureTask<>(() -> {
			if (taken.compareAndSet(false, true)) {
				this.template.execute((channel) -> {
					inScope(parent,
							() -> this.template.doSend(channel, exchange, routingKey, message, false, correlation));
					return null;
				});
			}
			return null;
		});
		try {
			this.executor.execute(sending);
		}
		catch (RejectedExecutionException ex) {
			throw new EventPublishException(
					this.executor.isShutdown() ? "The publisher is shut down: " + what + " was not sent"
							: "The broker did not answer earlier sends within " + this.confirmTimeout
									+ " (every publisher thread waits for it): " + what + " was not sent",
					ex);
		}
		try {
			sending.get(remaining(deadline), TimeUnit.NANOSECONDS);
			CorrelationData.Confirm confirm = correlation.getFuture().get(remaining(deadline), TimeUnit.NANOSECONDS);
			if (!confirm.ack()) {
				throw new EventPublishException("Broker refused " + what + ": " + confirm.reason());
			}
		}
		catch (TimeoutException ex) {
			throw timedOut(what, message, correlation, taken, sending, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new EventPublishException("Could not publish " + what + ": " + cause.getMessage(), cause);
		}
		catch (AmqpException ex) {
			throw new EventPublishException("Could not publish " + what + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventPublishException("Interrupted while waiting for the confirm of " + what, ex);
		}
	}

	private EventPublishException timedOut(String what, Message message, CorrelationData correlation,
			AtomicBoolean taken, FutureTask<Void> sending, TimeoutException ex) {
		if (taken.compareAndSet(false, true)) {
			this.executor.remove(sending);
			return new EventPublishException("The broker did not answer within " + this.confirmTimeout
					+ " (every publisher thread waits for it): " + what + " was not sent", ex);
		}
		reportLateConfirm(correlation, what, message.getMessageProperties().getMessageId());
		String waitingFor = sending.isDone() ? "No publisher confirm for " + what
				: "The broker did not answer while sending " + what + " (opening a channel or a connection)";
		String blocked = this.blocking.current()
			.map((blocking) -> "; the broker is blocking publishers (" + blocking.reason() + ")")
			.orElse("");
		return new EventPublishException(waitingFor + " within " + this.confirmTimeout + blocked
				+ "; it may still be delivered, so publishing it again may duplicate it", ex);
	}

	/**
	 * Return how many sends wait for a publisher thread now.
	 * @return how many sends wait for a publisher thread now
	 */
	int waitingSends() {
		return this.executor.getQueue().size();
	}

	/**
	 * Send on a publisher thread in the observation that was current where the send was
	 * asked for: the template's observation is then its child.
	 */
	private static void inScope(@Nullable Observation parent, Runnable send) {
		if (parent != null) {
			parent.scoped(send);
		}
		else {
			send.run();
		}
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	private static void reportLateConfirm(CorrelationData correlation, String what, @Nullable String messageId) {
		correlation.getFuture().thenAccept((confirm) -> {
			if (confirm.ack()) {
				logger.warn("The broker confirmed " + what + " (message id " + messageId
						+ ") after the confirm timeout: the publisher was told it failed, so a retry is a duplicate");
			}
		});
	}

	/**
	 * Stop the publisher threads: sends already handed to the client are given the
	 * confirm timeout to finish; a thread still waiting for the broker then is abandoned
	 * (it is a daemon, and the connection factory's closing ends its wait).
	 */
	@Override
	public void destroy() {
		this.executor.shutdown();
		this.asyncExecutor.shutdown();
		for (ThreadPoolExecutor executor : List.of(this.executor, this.asyncExecutor)) {
			try {
				if (!executor.awaitTermination(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
					logger.debug("Publisher threads still wait for the broker at shutdown");
					executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				executor.shutdownNow();
			}
		}
	}

	/**
	 * One asynchronous send: taken either by the publisher thread or by its timeout.
	 */
	private static final class AsyncSend {

		final String exchange;

		final String routingKey;

		final Message message;

		final String what;

		final @Nullable Observation parent;

		// an empty id: the confirm is matched by sequence number, and no return header
		final CorrelationData correlation = new CorrelationData("");

		final AtomicBoolean taken = new AtomicBoolean();

		final CompletableFuture<Void> result = new CompletableFuture<>();

		volatile boolean awaitingConfirm;

		AsyncSend(String exchange, String routingKey, Message message, @Nullable Observation parent) {
			this.exchange = exchange;
			this.routingKey = routingKey;
			this.message = message;
			this.parent = parent;
			this.what = "message " + routingKey + " to exchange " + exchange;
		}

		void awaitConfirm() {
			this.awaitingConfirm = true;
			this.correlation.getFuture().thenAccept((confirm) -> {
				if (confirm.ack()) {
					this.result.complete(null);
				}
				else {
					fail(new EventPublishException("Broker refused " + this.what + ": "
							+ ((confirm.reason() != null) ? confirm.reason() : "nack")));
				}
			});
		}

		boolean fail(EventPublishException ex) {
			return this.result.completeExceptionally(ex);
		}

	}

}
