package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.method.EventHandlerMethodException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * An {@code @EventObserverHandler} method that cannot be a handler.
 */
class EventHandlerMethodFailureAnalyzer extends AbstractFailureAnalyzer<EventHandlerMethodException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EventHandlerMethodException cause) {
		return new FailureAnalysis(
				"The @EventObserverHandler method " + cause.getMethod() + " cannot handle events: " + cause.getProblem()
						+ ".",
				"Change the method as said, or remove @EventObserverHandler from it. A handler method looks like "
						+ "`@EventObserverHandler void on(Subscription subscription, Event event)` (or returns "
						+ "EventOutcome), and each observer entity has exactly one handler.",
				cause);
	}

}
