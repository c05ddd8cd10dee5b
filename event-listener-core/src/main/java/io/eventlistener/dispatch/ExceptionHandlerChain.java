package io.eventlistener.dispatch;

import java.util.List;

import io.eventlistener.EventExceptionHandler;
import io.eventlistener.EventFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs every {@link EventExceptionHandler} on a failure and combines their votes under
 * the {@link RetryMode}. Unlike isimud, no handler is skipped because an earlier one
 * voted no.
 */
public class ExceptionHandlerChain {

	private static final Log logger = LogFactory.getLog(ExceptionHandlerChain.class);

	private final List<EventExceptionHandler> handlers;

	private final RetryMode mode;

	public ExceptionHandlerChain(List<EventExceptionHandler> handlers, RetryMode mode) {
		this.handlers = List.copyOf(handlers);
		this.mode = mode;
	}

	/**
	 * Tell every handler about a failure.
	 * @param failure the failure
	 * @return whether the delivery should be tried again
	 */
	public boolean retry(EventFailure failure) {
		boolean votedYes = true;
		for (EventExceptionHandler handler : this.handlers) {
			votedYes &= vote(handler, failure);
		}
		return switch (this.mode) {
			case ALWAYS -> true;
			case NEVER -> false;
			case VOTE -> votedYes;
		};
	}

	private static boolean vote(EventExceptionHandler handler, EventFailure failure) {
		try {
			return handler.handle(failure);
		}
		catch (RuntimeException ex) {
			logger.warn("Exception handler " + handler + " failed; counted as a vote against retrying", ex);
			return false;
		}
	}

}
