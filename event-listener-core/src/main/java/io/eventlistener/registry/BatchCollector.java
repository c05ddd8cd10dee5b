package io.eventlistener.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Collects the deliveries of one batch key (an observer type) until there are
 * {@code size} of them or {@code timeout} has passed since the first, then hands them
 * over together: at once on the thread that added the last one, or on a handler thread
 * when the timeout fires.
 *
 * @param <D> the delivery
 */
final class BatchCollector<D> {

	private final int size;

	private final Duration timeout;

	private final TaskScheduler timer;

	private final Executor handlers;

	private final Consumer<List<D>> batches;

	private List<D> pending = new ArrayList<>();

	private @Nullable ScheduledFuture<?> due;

	BatchCollector(int size, Duration timeout, TaskScheduler timer, Executor handlers, Consumer<List<D>> batches) {
		this.size = size;
		this.timeout = timeout;
		this.timer = timer;
		this.handlers = handlers;
		this.batches = batches;
	}

	void add(D delivery) {
		List<D> full = null;
		synchronized (this) {
			this.pending.add(delivery);
			if (this.pending.size() >= this.size) {
				full = take();
			}
			else if (this.pending.size() == 1) {
				this.due = this.timer.schedule(() -> this.handlers.execute(this::flush),
						Instant.now().plus(this.timeout));
			}
		}
		if (full != null) {
			this.batches.accept(full);
		}
	}

	/** Hand over what has been collected, if anything. */
	void flush() {
		List<D> batch;
		synchronized (this) {
			if (this.pending.isEmpty()) {
				return;
			}
			batch = take();
		}
		this.batches.accept(batch);
	}

	/**
	 * Stop waiting for the timeout: the collected deliveries stay unacknowledged and go
	 * back to their queues when their channels close.
	 */
	synchronized void cancel() {
		ScheduledFuture<?> scheduled = this.due;
		if (scheduled != null) {
			scheduled.cancel(false);
			this.due = null;
		}
	}

	/** Call holding the lock. */
	private List<D> take() {
		List<D> batch = this.pending;
		this.pending = new ArrayList<>();
		ScheduledFuture<?> scheduled = this.due;
		if (scheduled != null) {
			scheduled.cancel(false);
			this.due = null;
		}
		return batch;
	}

}
