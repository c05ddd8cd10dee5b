package io.eventlistener.logging;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Reports the lines rate-limited logs dropped once their interval has ended
 * ({@link RateLimitedLog#flushEndedIntervals()}), every few seconds on the starter's
 * scheduler: without it, a flood of bad input that stopped would never have its "more
 * like this" line written.
 */
public class SuppressedLinesReporter implements SmartLifecycle {

	/** How often ended intervals are looked for. */
	public static final Duration PERIOD = Duration.ofSeconds(5);

	private final TaskScheduler scheduler;

	private volatile @Nullable ScheduledFuture<?> task;

	/**
	 * Create a new {@code SuppressedLinesReporter}.
	 * @param scheduler runs the reports
	 */
	public SuppressedLinesReporter(TaskScheduler scheduler) {
		this.scheduler = scheduler;
	}

	@Override
	public void start() {
		this.task = this.scheduler.scheduleWithFixedDelay(RateLimitedLog::flushEndedIntervals, PERIOD);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> task = this.task;
		if (task != null) {
			task.cancel(false);
			this.task = null;
		}
		// what was dropped so far, before the application goes
		RateLimitedLog.flushAll();
	}

	/**
	 * Below the listener's phase: started before it and stopped after it, so what its
	 * stop drops is reported too.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 8192;
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
