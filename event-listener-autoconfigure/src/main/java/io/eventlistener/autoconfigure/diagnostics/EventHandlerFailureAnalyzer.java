package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.dispatch.EventHandlerNotUniqueException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * An observer type with no {@code EventHandler} bean, or with more than one.
 */
class EventHandlerFailureAnalyzer extends AbstractFailureAnalyzer<EventHandlerNotUniqueException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EventHandlerNotUniqueException cause) {
		String type = cause.getObserverType().getSimpleName();
		String handler = "EventHandler<" + type + ">";
		if (cause.getBeanNames().isEmpty()) {
			return new FailureAnalysis(
					"The observer entity " + cause.getObserverType().getName() + " has no " + handler
							+ " bean: its observers' queues would fill up with events nobody handles.",
					"Declare one bean implementing " + handler + ": a @Component class, or a @Bean method returning "
							+ handler + "; or one bean method annotated @EventObserverHandler taking (" + type
							+ ", Event).",
					cause);
		}
		return new FailureAnalysis(
				"The observer entity " + cause.getObserverType().getName() + " has " + cause.getBeanNames().size()
						+ " handlers (" + handler + " beans or @EventObserverHandler methods), " + cause.getBeanNames()
						+ ": each event is handled by exactly one.",
				"Keep one of them (remove the others, or make all but one conditional), or " + "write one " + handler
						+ " that calls the others.",
				cause);
	}

}
