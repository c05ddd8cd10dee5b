package io.eventlistener.lifecycle;

/**
 * The database refused the application's connection at start-up for a reason that
 * {@link DatabaseRefusal} names. Thrown by {@link DatabaseStartupCheck} before anything
 * else uses the database, and by {@link DatabaseStartupGate} for a refusal that waiting
 * cannot fix, so that the start fails at once with one explanation instead of a stack
 * trace from whichever library connected first.
 */
public class DatabaseRefusedException extends RuntimeException {

	private final DatabaseRefusal refusal;

	private final String database;

	/**
	 * Create a new {@code DatabaseRefusedException}.
	 * @param refusal why the database refused
	 * @param database how the application names it, such as its JDBC URL
	 * @param driverMessage what the driver said
	 */
	public DatabaseRefusedException(DatabaseRefusal refusal, String database, String driverMessage) {
		super("Could not connect to the database at " + database + ": " + refusal.reason() + " (" + driverMessage
				+ ")");
		this.refusal = refusal;
		this.database = database;
	}

	public DatabaseRefusal getRefusal() {
		return this.refusal;
	}

	public String getDatabase() {
		return this.database;
	}

}
