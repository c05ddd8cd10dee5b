package io.eventlistener.tracing;

import java.util.List;

import org.springframework.amqp.core.Message;

/**
 * Runs a batch handler in a span of the batch's own: its events came from many traces, so
 * no single one can be its parent.
 */
@FunctionalInterface
public interface BatchTracing {

	/** No span: the handler runs as it is. */
	BatchTracing NONE = (name, batch, handling) -> handling.run();

	/**
	 * Run a batch's handling in its span.
	 * @param name the span's name (the observer type's)
	 * @param batch the batch's deliveries, whose headers carry their trace contexts
	 * @param handling hands the batch to its handler
	 * @throws Exception what the handling threw
	 */
	void trace(String name, List<Message> batch, Handling handling) throws Exception;

	/**
	 * The handling of one batch.
	 */
	@FunctionalInterface
	interface Handling {

		/**
		 * Hand the batch to its handler.
		 * @throws Exception what the handler threw
		 */
		void run() throws Exception;

	}

}
