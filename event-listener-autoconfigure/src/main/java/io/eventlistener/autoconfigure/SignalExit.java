package io.eventlistener.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Makes SIGTERM and SIGINT end a started process with status 0 after a graceful shutdown,
 * as isimud's trap did: the JVM's own handling exits with 143 or 130, which supervisors
 * read as a failure. The handler calls {@link System#exit(int)} with 0, which runs Spring
 * Boot's shutdown hook, so the context still closes gracefully (in-flight handlers
 * finish, unfinished deliveries return to their queues). A signal before the listener has
 * started means the application did not start: that exit keeps the JVM's status, 128 plus
 * the signal's number.
 * <p>
 * A JVM-wide effect, so it is not made while beans are created: the handlers are
 * installed when the application is ready ({@link ApplicationReadyEvent}), and the
 * previous handlers are put back when the context is closed (this bean destroyed).
 * Opt-in, as the JVM's signal handling is the application's: made only with
 * {@code event-listener.shutdown.exit-zero-on-signal=true}. Without it a signal ends the
 * application as any Spring Boot application's: Boot's shutdown hook closes the context
 * gracefully and the JVM exits with 143 (SIGTERM) or 130 (SIGINT).
 */
public class SignalExit implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Log logger = LogFactory.getLog(SignalExit.class);

	private static final String[] SIGNALS = { "TERM", "INT" };

	private final BooleanSupplier started;

	private final ThreadFactory threads;

	private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

	/**
	 * Create a new {@code SignalExit}.
	 * @param started whether the listener has started, so that a signal means a normal
	 * stop
	 * @param threads makes the thread that exits, one of its own (not a pool's: the exit
	 * closes the context, which shuts the starter's pools down)
	 */
	public SignalExit(BooleanSupplier started, ThreadFactory threads) {
		this.started = started;
		this.threads = threads;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		install();
	}

	/**
	 * Install the handlers, remembering the ones they replace.
	 */
	public synchronized void install() {
		if (!this.previous.isEmpty()) {
			return;
		}
		for (String name : SIGNALS) {
			try {
				Signal signal = new Signal(name);
				this.previous.put(signal, Signal.handle(signal, this::handle));
			}
			catch (IllegalArgumentException ex) {
				logger.debug("Signal SIG" + name + " cannot be handled here: " + ex.getMessage());
			}
		}
		if (!this.previous.isEmpty()) {
			logger.info("Ready: SIGTERM and SIGINT now exit with status 0 after a graceful shutdown");
		}
	}

	/**
	 * Put back the handlers {@link #install()} replaced.
	 */
	public synchronized void uninstall() {
		this.previous.forEach(Signal::handle);
		this.previous.clear();
	}

	/**
	 * Return whether this class's handlers are installed.
	 * @return whether this class's handlers are installed
	 */
	public synchronized boolean isInstalled() {
		return !this.previous.isEmpty();
	}

	@Override
	public void destroy() {
		uninstall();
	}

	/**
	 * Return whether a signal now is a normal stop (exit status 0), rather than a start
	 * that did not finish (the JVM's status).
	 * @return whether a signal now is a normal stop
	 */
	public boolean isNormalStop() {
		return this.started.getAsBoolean();
	}

	private void handle(Signal signal) {
		int status = isNormalStop() ? 0 : 128 + signal.getNumber();
		if (status == 0) {
			logger.info("SIG" + signal.getName() + " received: shutting down gracefully");
		}
		else {
			logger.info("SIG" + signal.getName() + " received during start-up: exiting with status " + status);
		}
		// a thread of its own, never a pool's: the exit closes the context, which shuts
		// the starter's pools down
		this.threads.newThread(() -> System.exit(status)).start();
	}

}
