package io.eventlistener.lifecycle;

/**
 * Thrown by {@link DatabaseStartupGate} when the JVM begins to shut down (a signal such
 * as SIGTERM or SIGINT) while start-up waits for the database: the application does not
 * start. The gate has logged the one line that says so; nothing else needs reporting.
 */
public class DatabaseWaitAbandonedException extends RuntimeException {

	/**
	 * Create a new {@code DatabaseWaitAbandonedException}.
	 * @param database how the gate names the database, such as its JDBC URL
	 */
	public DatabaseWaitAbandonedException(String database) {
		super("Stopped waiting for database " + database
				+ ": the JVM is shutting down (SIGTERM, SIGINT or System.exit); the application did not start");
	}

}
