package io.eventlistener.autoconfigure;

import java.util.function.Supplier;

import io.eventlistener.lifecycle.ErrorLimitAction;
import io.eventlistener.lifecycle.EventListenerLifecycle;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs when the error budget is exhausted: stops the listener and, with
 * {@link ErrorLimitAction#EXIT}, exits the application with status 1 so that a supervisor
 * restarts it. Runs on a thread of its own, because it is triggered from a consumer
 * thread that stopping waits for.
 */
final class ErrorLimitShutdown implements Runnable {

	private final ErrorLimitAction action;

	private final Supplier<EventListenerLifecycle> lifecycle;

	private final ConfigurableApplicationContext context;

	ErrorLimitShutdown(ErrorLimitAction action, Supplier<EventListenerLifecycle> lifecycle,
			ConfigurableApplicationContext context) {
		this.action = action;
		this.lifecycle = lifecycle;
		this.context = context;
	}

	@Override
	public void run() {
		Thread thread = new Thread(this::shutdown, "event-listener-error-limit");
		thread.start();
	}

	private void shutdown() {
		this.lifecycle.get().stop();
		if (this.action == ErrorLimitAction.EXIT) {
			System.exit(SpringApplication.exit(this.context, () -> 1));
		}
	}

}
