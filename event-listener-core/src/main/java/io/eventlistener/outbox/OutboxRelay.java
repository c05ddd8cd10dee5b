package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.PeriodicTask;
import io.eventlistener.logging.OutageLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Sends again, every {@code interval}, the outbox messages that have waited longer than
 * {@code retryAfter} (their after-commit send failed, or the process died before it),
 * until the broker confirms them. It stops a round at the first failure (the broker is
 * probably down) and tries again next round. Starts with the context, so messages left by
 * a previous run are sent soon after a restart.
 * <p>
 * Each step of a round {@link OutboxRepository.Claim claims} up to {@value #BATCH}
 * messages that nothing waits before (nothing stored earlier about the same object or in
 * the same transaction is still there), sends them in the order they were stored, and
 * deletes the confirmed ones in the same claim; the next step finds the messages that
 * waited behind them. The relays of several instances, and the after-commit sends, skip
 * what another holds: no two send the same message, and none sends a message before one
 * that waits before it.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private static final int BATCH = 100;

	/** How soon the relay looks again after messages waited behind earlier ones. */
	private static final Duration DEFERRED_DELAY = Duration.ofMillis(100);

	private final AtomicBoolean deferredScheduled = new AtomicBoolean();

	/**
	 * A database or broker outage: one line when rounds start failing, one when they
	 * work.
	 */
	private final OutageLog failures = new OutageLog(logger, "Outbox relay round");

	private final OutboxRepository repository;

	private final MessageOutbox outbox;

	private final Clock clock;

	private final Duration interval;

	private final Duration retryAfter;

	private final Runnable createSchema;

	private final PeriodicTask rounds;

	private final TaskScheduler scheduler;

	private Duration sendTimeout;

	/**
	 * Create a new {@code OutboxRelay}.
	 * @param repository the outbox table
	 * @param outbox sends a message and removes it once confirmed
	 * @param clock the time source
	 * @param interval how often to look for waiting messages
	 * @param retryAfter how long a message waits before the relay sends it again
	 * @param createSchema creates the outbox table if it is missing; run when the relay
	 * starts, in the listener's phase, so after the database gate
	 * @param scheduler runs the relay's rounds
	 */
	public OutboxRelay(OutboxRepository repository, MessageOutbox outbox, Clock clock, Duration interval,
			Duration retryAfter, Runnable createSchema, TaskScheduler scheduler) {
		this.repository = repository;
		this.outbox = outbox;
		this.clock = clock;
		this.interval = interval;
		this.retryAfter = retryAfter;
		this.createSchema = createSchema;
		this.scheduler = scheduler;
		this.sendTimeout = retryAfter;
		this.rounds = new PeriodicTask(scheduler, this::relaySafely, Duration.ZERO, interval);
	}

	/**
	 * Set how long an after-commit send may still be waiting for its confirm: a message
	 * stored longer ago is no longer being sent, so {@link #relaySoon()} may send it
	 * again. Defaults to the retry interval.
	 * @param sendTimeout the publisher's confirm timeout
	 */
	public void setSendTimeout(Duration sendTimeout) {
		this.sendTimeout = sendTimeout;
	}

	/**
	 * Have what waits sent as soon as it can go rather than after the retry interval:
	 * when the broker unblocks or a publishing connection is made ({@link #relaySoon()}),
	 * and when messages waited after commit behind an earlier one
	 * ({@link #relayDeferred()}).
	 * @param blocking tells when the broker unblocks
	 * @param publisherConnections the connections the outbox sends on
	 */
	public void relayWhenReady(BrokerBlocking blocking, ConnectionFactory publisherConnections) {
		blocking.whenUnblocked(this::relaySoon);
		this.outbox.whenDeferred(this::relayDeferred);
		publisherConnections.addConnectionListener((connection) -> relaySoon());
	}

	/**
	 * Send every message that has waited long enough, until one fails.
	 * @return how many were sent and confirmed
	 */
	public int relay() {
		return relay(this.retryAfter);
	}

	/**
	 * Send what the outbox holds as soon as the broker can take it again (it unblocked,
	 * or a connection was made), rather than after the retry interval: at once, every
	 * message no longer being sent, and once more after the send timeout, for the ones
	 * that were. Does nothing unless the relay is running.
	 */
	public void relaySoon() {
		if (isRunning()) {
			this.scheduler.schedule(() -> relaySafely(this.sendTimeout), this.clock.instant());
			this.scheduler.schedule(() -> relaySafely(this.sendTimeout), this.clock.instant().plus(this.sendTimeout));
		}
	}

	/**
	 * Send soon the messages that waited after commit behind an earlier message about the
	 * same object, once that one is gone, whatever their age: the claim keeps this from
	 * sending one an after-commit send holds. Calls made while one such round is
	 * scheduled share it. Does nothing unless the relay is running.
	 */
	public void relayDeferred() {
		if (isRunning() && this.deferredScheduled.compareAndSet(false, true)) {
			this.scheduler.schedule(() -> {
				this.deferredScheduled.set(false);
				relaySafely(Duration.ZERO);
			}, this.clock.instant().plus(DEFERRED_DELAY));
		}
	}

	/**
	 * One round at a time in this process, whichever started it; the claim keeps rounds
	 * of other instances apart.
	 */
	private synchronized int relay(Duration age) {
		int sent = 0;
		Step step;
		do {
			step = this.repository.claim((claim) -> {
				List<String> confirmed = new ArrayList<>();
				for (OutboxMessage message : claim.next(this.clock.instant().minus(age), BATCH)) {
					if (this.outbox.sendClaimed(message) != null) {
						claim.delete(confirmed);
						return new Step(confirmed.size(), true);
					}
					confirmed.add(message.messageId());
				}
				claim.delete(confirmed);
				return new Step(confirmed.size(), false);
			});
			sent += step.sent();
		}
		while (!step.failed() && step.sent() > 0);
		if (sent > 0) {
			logger.info("Relayed " + sent + " outbox message(s) the broker had not confirmed");
		}
		return sent;
	}

	@Override
	public void start() {
		this.createSchema.run();
		this.rounds.start();
	}

	@Override
	public void stop() {
		this.rounds.stop();
	}

	@Override
	public boolean isRunning() {
		return this.rounds.isRunning();
	}

	/**
	 * Starts with the event listener, after the database is known to answer.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE;
	}

	private void relaySafely() {
		relaySafely(this.retryAfter);
	}

	private void relaySafely(Duration age) {
		if (!isRunning()) {
			return;
		}
		try {
			relay(age);
			this.failures.succeeded();
		}
		catch (RuntimeException ex) {
			this.failures.failed(ex, "trying again in " + this.interval);
		}
	}

	/**
	 * One claim's outcome.
	 *
	 * @param sent how many were sent and confirmed
	 * @param failed whether a send failed (the step stopped there)
	 */
	private record Step(int sent, boolean failed) {

	}

}
