package io.eventlistener.logging;

import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;

/**
 * Tells listeners about something, each in turn, so that one that throws neither stops
 * the others nor the caller: listeners observe, they never change what happens. A
 * listener that throws is skipped with one warning line (rate-limited: a listener that
 * fails on every delivery must not flood the log), without a stack trace.
 *
 * @param <L> the listener type
 */
public final class ListenerNotifier<L> {

	private final String kind;

	private final List<L> listeners;

	private final RateLimitedLog failures;

	/**
	 * Create a new {@code ListenerNotifier}.
	 * @param kind names the listeners in the log line, for example
	 * {@code "DeliveryListener"}
	 * @param listeners the listeners, called in this order
	 * @param log where failures are logged
	 */
	public ListenerNotifier(String kind, List<? extends L> listeners, Log log) {
		this.kind = kind;
		this.listeners = List.copyOf(listeners);
		this.failures = new RateLimitedLog(log);
	}

	/**
	 * Call every listener.
	 * @param call what to call on each
	 */
	public void notify(Consumer<? super L> call) {
		for (L listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				this.failures.warn(() -> this.kind + " " + listener + " failed and was skipped: " + ex);
			}
		}
	}

}
