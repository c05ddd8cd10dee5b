package io.eventlistener.lifecycle;

import java.time.Duration;

/**
 * Thrown by {@link DatabaseStartupGate} when the database has not answered within the
 * longest start-up wait: the application does not start, so that a supervisor sees a
 * failed start rather than a process that waits for ever.
 */
public class DatabaseStartupTimeoutException extends RuntimeException {

	private final String database;

	private final Duration maxWait;

	/**
	 * Create a new {@code DatabaseStartupTimeoutException}.
	 * @param database how the gate names the database, such as its JDBC URL
	 * @param maxWait the longest wait, which has passed
	 * @param lastReason why the last attempt failed
	 */
	public DatabaseStartupTimeoutException(String database, Duration maxWait, String lastReason) {
		super("Database " + database + " did not answer within " + maxWait + " of start-up (last attempt: " + lastReason
				+ ")");
		this.database = database;
		this.maxWait = maxWait;
	}

	public String getDatabase() {
		return this.database;
	}

	public Duration getMaxWait() {
		return this.maxWait;
	}

}
