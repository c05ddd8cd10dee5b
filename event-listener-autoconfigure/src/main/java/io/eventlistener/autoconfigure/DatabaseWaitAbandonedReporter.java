package io.eventlistener.autoconfigure;

import io.eventlistener.lifecycle.DatabaseWaitAbandonedException;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a start-up that a signal ended while it waited for the database as what it is:
 * the one line {@link io.eventlistener.lifecycle.DatabaseStartupGate} logged, not
 * {@code Application run failed} with a stack trace. Registered in
 * {@code META-INF/spring.factories}, ahead of Boot's failure analyzers.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class DatabaseWaitAbandonedReporter implements SpringBootExceptionReporter {

	@Override
	public boolean reportException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DatabaseWaitAbandonedException) {
				return true;
			}
		}
		return false;
	}

}
