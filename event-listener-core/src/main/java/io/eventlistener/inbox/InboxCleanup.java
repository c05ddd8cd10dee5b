package io.eventlistener.inbox;

import java.time.Clock;
import java.time.Duration;

import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the inbox bounded: each run forgets the deliveries handled longer than
 * {@code retention} ago; {@link EventInbox#cleanedUp} runs it every few minutes as a
 * {@link io.eventlistener.lifecycle.PeriodicTask} on the shared scheduler, so each delete
 * is small. A redelivery of a forgotten delivery would be handled again, so the retention
 * must outlast the longest time a handled delivery can come back: the broker redelivers
 * what was unacknowledged when a consumer's connection closes, at the latest when the
 * application consumes again.
 */
public class InboxCleanup implements Runnable {

	private static final Log logger = LogFactory.getLog(InboxCleanup.class);

	private final RateLimitedLog failures = new RateLimitedLog(logger);

	private final InboxRepository repository;

	private final Clock clock;

	private final Duration retention;

	/**
	 * Create a new {@code InboxCleanup}.
	 * @param repository the inbox table
	 * @param clock the time source
	 * @param retention how long a handled delivery is remembered
	 */
	public InboxCleanup(InboxRepository repository, Clock clock, Duration retention) {
		this.repository = repository;
		this.clock = clock;
		this.retention = retention;
	}

	/**
	 * Forget the deliveries handled before the retention.
	 * @return how many were forgotten
	 */
	public int clean() {
		int deleted = this.repository.deleteHandledBefore(this.clock.instant().minus(this.retention));
		if (deleted > 0 && logger.isDebugEnabled()) {
			logger.debug("Forgot " + deleted + " inbox record(s) older than " + this.retention);
		}
		return deleted;
	}

	/**
	 * Clean; a failure (the database is down) is logged, rate-limited, and the next run
	 * tries again.
	 */
	@Override
	public void run() {
		try {
			clean();
		}
		catch (RuntimeException ex) {
			this.failures.warn(() -> "Inbox cleanup failed; the next run tries again: " + ex);
		}
	}

}
