package io.eventlistener.autoconfigure;

import java.util.function.Supplier;

import io.eventlistener.lifecycle.ErrorBudgetExhaustedEvent;
import io.eventlistener.lifecycle.ErrorLimitAction;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;

/**
 * The exit policy: when the error budget is exhausted
 * ({@link ErrorBudgetExhaustedEvent}), stops the listener and, with
 * {@link ErrorLimitAction#EXIT}, exits the application with status 1 so that a supervisor
 * restarts it. Runs on a thread of its own: the event comes from a consumer thread that
 * stopping waits for, and a pool's thread would not do, as the exit closes the context,
 * which shuts the starter's pools down.
 */
public class ErrorLimitShutdown implements ApplicationListener<ErrorBudgetExhaustedEvent> {

	private final ErrorLimitAction action;

	private final Supplier<? extends Lifecycle> listener;

	private final ConfigurableApplicationContext context;

	/**
	 * Create a new {@code ErrorLimitShutdown}.
	 * @param action what to do beyond stopping the listener
	 * @param listener gives the listener to stop
	 * @param context the context to close when exiting
	 */
	public ErrorLimitShutdown(ErrorLimitAction action, Supplier<? extends Lifecycle> listener,
			ConfigurableApplicationContext context) {
		this.action = action;
		this.listener = listener;
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ErrorBudgetExhaustedEvent event) {
		new Thread(this::shutdown, "event-listener-error-limit").start();
	}

	private void shutdown() {
		this.listener.get().stop();
		if (this.action == ErrorLimitAction.EXIT) {
			System.exit(SpringApplication.exit(this.context, () -> 1));
		}
	}

}
