package io.eventlistener.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT end the process with status 0 after a graceful shutdown, as
 * isimud's trap did: the JVM's own handling exits with 143 or 130, which supervisors read
 * as a failure. The handler calls {@link System#exit(int)} with 0, which runs Spring
 * Boot's shutdown hook, so the context still closes gracefully (in-flight handlers
 * finish, unfinished deliveries return to their queues). Switched off with
 * {@code event-listener.shutdown.exit-zero-on-signal=false}.
 */
final class SignalExit {

	private static final Log logger = LogFactory.getLog(SignalExit.class);

	private SignalExit() {
	}

	static void install() {
		for (String name : new String[] { "TERM", "INT" }) {
			try {
				Signal.handle(new Signal(name), (signal) -> {
					logger.info("SIG" + signal.getName() + " received: shutting down gracefully");
					new Thread(() -> System.exit(0), "event-listener-signal-exit").start();
				});
			}
			catch (IllegalArgumentException ex) {
				logger.debug("Signal SIG" + name + " cannot be handled here: " + ex.getMessage());
			}
		}
	}

}
