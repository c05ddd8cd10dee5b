package io.eventlistener.autoconfigure;

import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT end a started process with status 0 after a graceful shutdown,
 * as isimud's trap did: the JVM's own handling exits with 143 or 130, which supervisors
 * read as a failure. The handler calls {@link System#exit(int)} with 0, which runs Spring
 * Boot's shutdown hook, so the context still closes gracefully (in-flight handlers
 * finish, unfinished deliveries return to their queues). A signal before the listener has
 * started (while it waits for its database, say) means the application did not start:
 * that exit keeps the JVM's status, 128 plus the signal's number. Switched off with
 * {@code event-listener.shutdown.exit-zero-on-signal=false}.
 */
final class SignalExit {

	private static final Log logger = LogFactory.getLog(SignalExit.class);

	private SignalExit() {
	}

	/**
	 * Install the signal handlers.
	 * @param started whether the listener has started, so that a signal means a normal
	 * stop
	 */
	static void install(BooleanSupplier started) {
		for (String name : new String[] { "TERM", "INT" }) {
			try {
				Signal.handle(new Signal(name), (signal) -> {
					int status = started.getAsBoolean() ? 0 : 128 + signal.getNumber();
					if (status == 0) {
						logger.info("SIG" + signal.getName() + " received: shutting down gracefully");
					}
					else {
						logger.info(
								"SIG" + signal.getName() + " received during start-up: exiting with status " + status);
					}
					new Thread(() -> System.exit(status), "event-listener-signal-exit").start();
				});
			}
			catch (IllegalArgumentException ex) {
				logger.debug("Signal SIG" + name + " cannot be handled here: " + ex.getMessage());
			}
		}
	}

}
