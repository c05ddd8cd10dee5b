package io.eventlistener.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs the failures of a task that runs again and again (a relay round, a probe) as one
 * line per outage and phase: the first failure of an outage is one warning, without a
 * stack trace; the ones after it are only counted; the first success after it is one line
 * with their count and how long it lasted. A failure that is not a known outage
 * ({@link KnownOutages}) is logged each time, with its stack trace: it may be a bug.
 * Thread-safe; time comes from the injected {@link Clock}.
 */
public final class OutageLog {

	private final Log log;

	private final String task;

	private final Clock clock;

	private @Nullable Instant since;

	private int failures;

	/**
	 * Create a new {@code OutageLog}.
	 * @param log where the lines go
	 * @param task what fails, at the start of each line, for example
	 * {@code "Outbox relay round"}
	 */
	public OutageLog(Log log, String task) {
		this(log, task, Clock.systemUTC());
	}

	/**
	 * Create a new {@code OutageLog}.
	 * @param log where the lines go
	 * @param task what fails, at the start of each line
	 * @param clock tells the time
	 */
	public OutageLog(Log log, String task, Clock clock) {
		this.log = log;
		this.task = task;
		this.clock = clock;
	}

	/**
	 * Report a failure.
	 * @param failure what the task threw
	 * @param next what happens next, for example {@code "trying again in PT10S"}
	 */
	public void failed(Throwable failure, String next) {
		if (!KnownOutages.isOutage(failure)) {
			this.log.warn(this.task + " failed; " + next, failure);
			return;
		}
		boolean first;
		synchronized (this) {
			first = this.since == null;
			if (first) {
				this.since = this.clock.instant();
			}
			this.failures++;
		}
		if (first) {
			this.log.warn(this.task + " failed: " + KnownOutages.describe(failure) + "; " + next
					+ " (further failures are not logged until it succeeds)");
		}
	}

	/**
	 * Report a success: ends the outage, if there was one.
	 */
	public void succeeded() {
		Instant started;
		int failed;
		synchronized (this) {
			started = this.since;
			if (started == null) {
				return;
			}
			failed = this.failures;
			this.since = null;
			this.failures = 0;
		}
		this.log.info(this.task + " succeeded again after " + failed + " failure(s) over "
				+ Duration.between(started, this.clock.instant()));
	}

}
