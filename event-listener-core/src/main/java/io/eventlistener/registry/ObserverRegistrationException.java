package io.eventlistener.registry;

import java.util.Map;

import io.eventlistener.observer.ObserverKey;

/**
 * Some observers of a bulk registration could not be registered: their queues could not
 * be declared or bound. The others were registered and are consumed.
 */
public class ObserverRegistrationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final Map<ObserverKey, Exception> failures;

	/**
	 * Create a new {@code ObserverRegistrationException}.
	 * @param failures each observer that failed, with the reason
	 */
	public ObserverRegistrationException(Map<ObserverKey, Exception> failures) {
		super(message(failures), failures.values().iterator().next());
		this.failures = Map.copyOf(failures);
	}

	/**
	 * The observers that are not registered, each with why.
	 */
	public Map<ObserverKey, Exception> failures() {
		return this.failures;
	}

	private static String message(Map<ObserverKey, Exception> failures) {
		Map.Entry<ObserverKey, Exception> first = failures.entrySet().iterator().next();
		return failures.size() + " observer(s) could not be registered, their queues could not be declared; first: "
				+ first.getKey() + ": " + first.getValue().getMessage();
	}

}
