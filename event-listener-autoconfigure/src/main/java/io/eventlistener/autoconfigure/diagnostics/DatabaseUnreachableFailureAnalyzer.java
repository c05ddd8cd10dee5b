package io.eventlistener.autoconfigure.diagnostics;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import io.eventlistener.logging.LogSanitizer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * The database did not answer while the application started: Hibernate, which reads the
 * database's metadata to choose its dialect, fails with {@code Unable to determine
 * Dialect without JDBC metadata}, or a connection attempt fails outright.
 */
class DatabaseUnreachableFailureAnalyzer implements FailureAnalyzer {

	static final String HIBERNATE_NO_METADATA = "Unable to determine Dialect without JDBC metadata";

	static final String HOW_TO_WAIT = "To let the application start while the database is down and wait for it (the "
			+ "event listener retries with back-off, logging each attempt), set spring.jpa.database-platform (such "
			+ "as org.hibernate.dialect.PostgreSQLDialect) and "
			+ "spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false, so that Hibernate needs no "
			+ "connection to start, and spring.jpa.hibernate.ddl-auto=none, since creating the schema needs the "
			+ "database.";

	private final Environment environment;

	DatabaseUnreachableFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		Throwable reason = reason(failure);
		if (reason == null) {
			return null;
		}
		// a JDBC URL may hold a password
		String url = LogSanitizer
			.sanitize(this.environment.getProperty("spring.datasource.url", "(no spring.datasource.url)"));
		String why = (reason instanceof SQLException) ? LogSanitizer.sanitize(reason.getMessage())
				: "Hibernate could not connect to read its metadata (" + LogSanitizer.sanitize(reason.getMessage())
						+ ")";
		return new FailureAnalysis("The database at " + url + " did not answer while the application started: " + why,
				"Start the database, or correct spring.datasource.url, spring.datasource.username and "
						+ "spring.datasource.password. " + HOW_TO_WAIT,
				failure);
	}

	private static @Nullable Throwable reason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().startsWith(HIBERNATE_NO_METADATA)) {
				return cause;
			}
			if (cause instanceof SQLException && refused(cause)) {
				return cause;
			}
		}
		return null;
	}

	private static boolean refused(Throwable sqlException) {
		for (Throwable cause = sqlException; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return true;
			}
		}
		return false;
	}

}
