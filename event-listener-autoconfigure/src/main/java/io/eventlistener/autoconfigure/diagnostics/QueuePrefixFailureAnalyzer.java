package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.autoconfigure.QueuePrefixMissingException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * No queue prefix: neither {@code event-listener.queue-prefix} nor
 * {@code spring.application.name}.
 */
class QueuePrefixFailureAnalyzer extends AbstractFailureAnalyzer<QueuePrefixMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, QueuePrefixMissingException cause) {
		return new FailureAnalysis(
				"The event listener has no queue prefix: observer queues are named {prefix}.{type}.{id}, and neither "
						+ "event-listener.queue-prefix nor spring.application.name is set.",
				"Set spring.application.name (for example spring.application.name=billing, giving queues such as "
						+ "billing.subscription.42), or event-listener.queue-prefix to keep the queue names of an "
						+ "existing isimud EventListener.",
				cause);
	}

}
