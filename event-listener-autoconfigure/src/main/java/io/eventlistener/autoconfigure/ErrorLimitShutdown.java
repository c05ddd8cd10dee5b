package io.eventlistener.autoconfigure;

import java.util.concurrent.ThreadFactory;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import io.eventlistener.lifecycle.ErrorBudgetExhaustedEvent;
import io.eventlistener.lifecycle.ErrorLimitAction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;

/**
 * The error-limit policy: when the error budget is exhausted
 * ({@link ErrorBudgetExhaustedEvent}), stops the listener, then, by
 * {@link ErrorLimitAction}: publishes Spring Boot's {@link LivenessState#BROKEN} (the
 * default: an orchestrator's liveness probe, {@code /actuator/health/liveness}, restarts
 * the instance), exits the application with status 1 (isimud's behaviour), or does
 * nothing more. Runs on a thread of its own, made by the given factory: the event comes
 * from a consumer thread that stopping waits for, and a pool's thread would not do, as
 * the exit closes the context, which shuts the starter's pools down.
 */
public class ErrorLimitShutdown implements ApplicationListener<ErrorBudgetExhaustedEvent> {

	private static final Log logger = LogFactory.getLog(ErrorLimitShutdown.class);

	private final ErrorLimitAction action;

	private final Supplier<? extends Lifecycle> listener;

	private final ConfigurableApplicationContext context;

	private final ThreadFactory threads;

	private final IntConsumer exit;

	/**
	 * Create a new {@code ErrorLimitShutdown}.
	 * @param action what to do beyond stopping the listener
	 * @param listener gives the listener to stop
	 * @param context the context whose liveness is reported, or which is closed when
	 * exiting
	 * @param threads makes the one thread the policy runs on (not a pool's)
	 */
	public ErrorLimitShutdown(ErrorLimitAction action, Supplier<? extends Lifecycle> listener,
			ConfigurableApplicationContext context, ThreadFactory threads) {
		this(action, listener, context, threads, System::exit);
	}

	ErrorLimitShutdown(ErrorLimitAction action, Supplier<? extends Lifecycle> listener,
			ConfigurableApplicationContext context, ThreadFactory threads, IntConsumer exit) {
		this.action = action;
		this.listener = listener;
		this.context = context;
		this.threads = threads;
		this.exit = exit;
	}

	@Override
	public void onApplicationEvent(ErrorBudgetExhaustedEvent event) {
		this.threads.newThread(() -> shutdown(event)).start();
	}

	private void shutdown(ErrorBudgetExhaustedEvent event) {
		this.listener.get().stop();
		// the budget itself logged the exhaustion and its last error
		switch (this.action) {
			case BROKEN -> {
				logger.warn("Stopped consuming after " + event.getErrors() + " handler errors: liveness is now "
						+ "BROKEN, so that the orchestrator restarts the instance (event-listener.error.on-limit)");
				AvailabilityChangeEvent.publish(this.context, LivenessState.BROKEN);
			}
			case EXIT -> {
				logger.warn("Stopped consuming after " + event.getErrors() + " handler errors: exiting with status 1 "
						+ "(event-listener.error.on-limit=exit)");
				this.exit.accept(SpringApplication.exit(this.context, () -> 1));
			}
			case STOP -> logger.warn("Stopped consuming after " + event.getErrors() + " handler errors; staying up "
					+ "(event-listener.error.on-limit=stop)");
		}
	}

}
