package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.lifecycle.DatabaseStartupTimeoutException;
import io.eventlistener.logging.LogSanitizer;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The database did not answer within {@code event-listener.startup.database-wait}.
 */
class DatabaseStartupTimeoutFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseStartupTimeoutException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseStartupTimeoutException cause) {
		return new FailureAnalysis(
				"The event listener waited " + cause.getMaxWait() + " for database "
						+ LogSanitizer.sanitize(cause.getDatabase()) + " to answer, and it did not: "
						+ LogSanitizer.sanitize(cause.getMessage()),
				"Start the database or correct spring.datasource.url, spring.datasource.username and "
						+ "spring.datasource.password; to wait longer at start-up, raise "
						+ "event-listener.startup.database-wait (default 5m).",
				cause);
	}

}
