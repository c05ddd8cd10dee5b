package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.lifecycle.DatabaseRefusal;
import io.eventlistener.lifecycle.DatabaseRefusedException;
import io.eventlistener.logging.LogSanitizer;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The database refused the application at start-up (a missing database, an unknown user,
 * a refused password, nothing at its address): what it said, and the setting to correct.
 */
class DatabaseRefusedFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseRefusedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseRefusedException cause) {
		return new FailureAnalysis(LogSanitizer.sanitize(cause.getMessage()), action(cause.getRefusal()), cause);
	}

	private static String action(DatabaseRefusal refusal) {
		return switch (refusal) {
			case DATABASE_MISSING -> "Create the database, or correct the database name in spring.datasource.url.";
			case USER_UNKNOWN -> "Create the user, or correct spring.datasource.username.";
			case PASSWORD_REFUSED -> "Correct spring.datasource.password.";
			case ACCESS_DENIED -> "Correct spring.datasource.username and spring.datasource.password, or grant "
					+ "the user access to the database.";
			case UNREACHABLE -> "Start the database, or correct the host and port in spring.datasource.url. "
					+ DatabaseUnreachableFailureAnalyzer.HOW_TO_WAIT;
		};
	}

}
