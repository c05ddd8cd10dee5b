package io.eventlistener.lifecycle;

import java.time.Duration;

import org.springframework.context.ApplicationEvent;

/**
 * Published once when the {@link ErrorBudget} is exhausted: {@code errors} errors within
 * one window of {@code interval}. The exit policy (the auto-configuration's
 * {@code ErrorLimitShutdown}) listens to it; so may the application (to alert, say).
 * Published on the thread that recorded the last error, often a consumer thread: a
 * listener must not wait for consumers to stop.
 */
public class ErrorBudgetExhaustedEvent extends ApplicationEvent {

	private final int errors;

	private final Duration interval;

	private final Throwable lastError;

	/**
	 * Create a new {@code ErrorBudgetExhaustedEvent}.
	 * @param budget the exhausted budget
	 * @param errors errors counted in the window
	 * @param lastError the error that exhausted it
	 */
	public ErrorBudgetExhaustedEvent(ErrorBudget budget, int errors, Throwable lastError) {
		super(budget);
		this.errors = errors;
		this.interval = budget.interval();
		this.lastError = lastError;
	}

	public ErrorBudget getBudget() {
		return (ErrorBudget) getSource();
	}

	public int getErrors() {
		return this.errors;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public Throwable getLastError() {
		return this.lastError;
	}

}
