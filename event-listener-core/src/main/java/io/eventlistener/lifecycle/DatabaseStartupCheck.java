package io.eventlistener.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import io.eventlistener.logging.LogSanitizer;

import org.springframework.beans.factory.InitializingBean;

/**
 * Connects to the database once, before anything else in the context does (the JPA
 * {@code EntityManagerFactory} is made to wait for it), and fails the start at once, with
 * a {@link DatabaseRefusedException} that names the mistake, when the database refuses
 * for a reason that waiting cannot fix: a missing database, an unknown user, a refused
 * password. An unreachable database fails the start here too when something will need it
 * while the context starts (Hibernate reading its metadata); otherwise it is left to
 * {@link DatabaseStartupGate}, which waits for it.
 * <p>
 * Without it, the first library to connect (Hibernate, choosing its dialect) logs the
 * driver's exception with a stack trace and fails with a message about its own dialect.
 */
public class DatabaseStartupCheck implements InitializingBean {

	private final DataSource dataSource;

	private final String description;

	private final boolean databaseNeededToStart;

	/**
	 * Create a new {@code DatabaseStartupCheck}.
	 * @param dataSource the database
	 * @param description how messages name it, such as its JDBC URL
	 * @param databaseNeededToStart whether the context cannot start without the database
	 * (an unreachable database then fails the start at once, too)
	 */
	public DatabaseStartupCheck(DataSource dataSource, String description, boolean databaseNeededToStart) {
		this.dataSource = dataSource;
		// a JDBC URL may hold a password
		this.description = LogSanitizer.sanitize(description);
		this.databaseNeededToStart = databaseNeededToStart;
	}

	@Override
	public void afterPropertiesSet() {
		try (Connection connection = this.dataSource.getConnection()) {
			// it answered: nothing to explain
		}
		catch (SQLException | RuntimeException ex) {
			Optional<DatabaseRefusal> refusal = DatabaseRefusal.of(ex);
			if (refusal.isPresent() && (!refusal.get().isTransient() || this.databaseNeededToStart)) {
				throw new DatabaseRefusedException(refusal.get(), this.description, driverMessage(ex));
			}
			// unknown, or unreachable and waited for later: the start goes on as before
		}
	}

	static String driverMessage(Throwable failure) {
		String message = failure.getMessage();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException && cause.getMessage() != null) {
				message = cause.getMessage();
			}
		}
		return (message != null) ? LogSanitizer.sanitize(message) : failure.getClass().getSimpleName();
	}

}
