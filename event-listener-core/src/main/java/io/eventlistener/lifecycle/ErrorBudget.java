package io.eventlistener.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Counts errors in a fixed window (isimud's error counter: {@code error_limit} errors per
 * {@code error_interval}, 100 per hour by default). The window starts with its first
 * error and ends {@code interval} later; reaching the limit within one window runs the
 * exhaustion action once: an {@link ErrorBudgetExhaustedEvent}, which the exit policy
 * listens to. Time comes from the injected {@link Clock}.
 */
public class ErrorBudget {

	private static final Log logger = LogFactory.getLog(ErrorBudget.class);

	private final int limit;

	private final Duration interval;

	private final Clock clock;

	private final Consumer<ErrorBudgetExhaustedEvent> onExhausted;

	private @Nullable Instant windowStart;

	private int errors;

	private boolean exhausted;

	/**
	 * Create a new {@code ErrorBudget}.
	 * @param limit errors allowed in one window; reaching it exhausts the budget
	 * @param interval the window's length
	 * @param clock the time source
	 * @param onExhausted run once, when the budget is exhausted
	 */
	public ErrorBudget(int limit, Duration interval, Clock clock, Runnable onExhausted) {
		this(limit, interval, clock, (ApplicationEventPublisher) (event) -> onExhausted.run());
	}

	/**
	 * Create a new {@code ErrorBudget}.
	 * @param limit errors allowed in one window; reaching it exhausts the budget
	 * @param interval the window's length
	 * @param clock the time source
	 * @param events receives one {@link ErrorBudgetExhaustedEvent}, when the budget is
	 * exhausted
	 */
	public ErrorBudget(int limit, Duration interval, Clock clock, ApplicationEventPublisher events) {
		this.limit = limit;
		this.interval = interval;
		this.clock = clock;
		this.onExhausted = events::publishEvent;
	}

	/**
	 * Count one error.
	 * @param error what went wrong
	 */
	public void record(Throwable error) {
		boolean exhaustedNow;
		int count;
		synchronized (this) {
			rollWindow();
			if (this.windowStart == null) {
				this.windowStart = this.clock.instant();
			}
			count = ++this.errors;
			exhaustedNow = !this.exhausted && count >= this.limit;
			this.exhausted |= exhaustedNow;
		}
		logger.debug("Error " + count + " of " + this.limit + " in the current window: " + error);
		if (exhaustedNow) {
			logger.error("Error budget exhausted: " + count + " errors within " + this.interval + " (limit "
					+ this.limit + "); the event listener stops consuming. Last error: " + error);
			this.onExhausted.accept(new ErrorBudgetExhaustedEvent(this, count, error));
		}
	}

	/**
	 * The errors counted in the current window.
	 * @return the count, 0 once the window has passed
	 */
	public synchronized int errorsInWindow() {
		rollWindow();
		return this.errors;
	}

	public int limit() {
		return this.limit;
	}

	public Duration interval() {
		return this.interval;
	}

	public synchronized boolean isExhausted() {
		return this.exhausted;
	}

	private void rollWindow() {
		if (this.windowStart != null && !this.clock.instant().isBefore(this.windowStart.plus(this.interval))) {
			this.windowStart = null;
			this.errors = 0;
		}
	}

}
