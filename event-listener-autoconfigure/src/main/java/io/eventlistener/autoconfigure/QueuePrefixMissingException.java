package io.eventlistener.autoconfigure;

/**
 * Neither {@code event-listener.queue-prefix} nor {@code spring.application.name} is set,
 * so observer queues ({@code {prefix}.{type}.{id}}) cannot be named.
 */
public class QueuePrefixMissingException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	QueuePrefixMissingException() {
		super("Observer queues are named {prefix}.{type}.{id}: set spring.application.name or "
				+ "event-listener.queue-prefix");
	}

}
