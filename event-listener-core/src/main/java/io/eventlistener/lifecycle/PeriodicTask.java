package io.eventlistener.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;

/**
 * A task run on the starter's shared {@link TaskScheduler} with a fixed delay between
 * runs, from {@link #start()} until {@link #stop()}: the scheduled part of a
 * {@code SmartLifecycle} that works in the background, such as the registry's periodic
 * resync and the outbox relay, or the inbox's cleanup, which the inbox starts and stops
 * in the listener's phase. Stopping cancels the schedule and interrupts a run in
 * progress; the scheduler's threads are the scheduler's, not the task's.
 */
public final class PeriodicTask implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PeriodicTask.class);

	private final TaskScheduler scheduler;

	private final Runnable task;

	private final Duration initialDelay;

	private final Duration interval;

	private volatile @Nullable ScheduledFuture<?> scheduled;

	/**
	 * Create a new {@code PeriodicTask}.
	 * @param scheduler the shared scheduler
	 * @param task what to run; an exception it throws ends the schedule, so catch it
	 * @param initialDelay the wait before the first run
	 * @param interval the wait between the end of one run and the start of the next
	 */
	public PeriodicTask(TaskScheduler scheduler, Runnable task, Duration initialDelay, Duration interval) {
		this.scheduler = scheduler;
		this.task = task;
		this.initialDelay = initialDelay;
		this.interval = interval;
	}

	@Override
	public void start() {
		this.scheduled = this.scheduler.scheduleWithFixedDelay(this.task, Instant.now().plus(this.initialDelay),
				this.interval);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> scheduled = this.scheduled;
		if (scheduled != null) {
			scheduled.cancel(true);
			this.scheduled = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduled != null;
	}

	/**
	 * As a bean of its own, it runs with the event listener.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE;
	}

	/**
	 * Run other work once, now, on the same scheduler, if started; ignored (logged at
	 * debug) when the scheduler no longer takes work because the context is closing.
	 * @param work what to run
	 */
	public void runNow(Runnable work) {
		if (this.scheduled == null) {
			return;
		}
		try {
			this.scheduler.schedule(work, Instant.now());
		}
		catch (TaskRejectedException ex) {
			logger.debug("Not run: the scheduler is shutting down", ex);
		}
	}

}
