package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.eventlistener.lifecycle.EventListenerLifecycle;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Sends again, every {@code interval}, the outbox messages that have waited longer than
 * {@code retryAfter} (their after-commit send failed, or the process died before it),
 * oldest first, until the broker confirms them. It stops a round at the first failure
 * (the broker is probably down) and tries again next round. Starts with the context, so
 * messages left by a previous run are sent soon after a restart.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private static final int BATCH = 500;

	private final OutboxRepository repository;

	private final MessageOutbox outbox;

	private final Clock clock;

	private final Duration interval;

	private final Duration retryAfter;

	private final Runnable createSchema;

	private @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create a new {@code OutboxRelay}.
	 * @param repository the outbox table
	 * @param outbox sends a message and removes it once confirmed
	 * @param clock the time source
	 * @param interval how often to look for waiting messages
	 * @param retryAfter how long a message waits before the relay sends it again
	 * @param createSchema creates the outbox table if it is missing; run when the relay
	 * starts, in the listener's phase, so after the database gate
	 */
	public OutboxRelay(OutboxRepository repository, MessageOutbox outbox, Clock clock, Duration interval,
			Duration retryAfter, Runnable createSchema) {
		this.repository = repository;
		this.outbox = outbox;
		this.clock = clock;
		this.interval = interval;
		this.retryAfter = retryAfter;
		this.createSchema = createSchema;
	}

	/**
	 * Send every message that has waited long enough, until one fails.
	 * @return how many were sent and confirmed
	 */
	public int relay() {
		int sent = 0;
		List<OutboxMessage> waiting;
		do {
			waiting = this.repository.findStoredBefore(this.clock.instant().minus(this.retryAfter), BATCH);
			for (OutboxMessage message : waiting) {
				if (!this.outbox.trySend(message)) {
					return sent;
				}
				sent++;
			}
		}
		while (waiting.size() == BATCH);
		if (sent > 0) {
			logger.info("Relayed " + sent + " outbox message(s) the broker had not confirmed");
		}
		return sent;
	}

	@Override
	public void start() {
		this.createSchema.run();
		ScheduledExecutorService scheduler = Executors
			.newSingleThreadScheduledExecutor((task) -> new Thread(task, "event-listener-outbox-relay"));
		scheduler.scheduleWithFixedDelay(this::relaySafely, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * Starts with the event listener, after the database is known to answer.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE;
	}

	private void relaySafely() {
		try {
			relay();
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox relay round failed; trying again in " + this.interval + ": " + ex);
		}
	}

}
