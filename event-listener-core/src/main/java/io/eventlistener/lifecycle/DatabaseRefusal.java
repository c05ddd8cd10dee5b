package io.eventlistener.lifecycle;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Why a database would not give the application a connection, told from the driver's
 * {@link SQLException}: its SQL state (PostgreSQL, H2) or vendor code (MariaDB, MySQL),
 * else a socket that could not connect. Only {@link #UNREACHABLE} can pass by waiting;
 * the others are configuration mistakes that no retry fixes.
 */
public enum DatabaseRefusal {

	/** The database named in the URL does not exist. */
	DATABASE_MISSING("the database named in the URL does not exist"),

	/** The user (PostgreSQL's role) does not exist. */
	USER_UNKNOWN("the user does not exist"),

	/** The password was refused. */
	PASSWORD_REFUSED("the password was refused"),

	/**
	 * The user or password was refused, or the user may not use this database; the server
	 * does not say which (MariaDB, MySQL, a PostgreSQL {@code pg_hba.conf} rule).
	 */
	ACCESS_DENIED("the user, its password or its access to this database was refused"),

	/** Nothing answered at the URL's host and port. */
	UNREACHABLE("nothing answered at its host and port");

	private final String reason;

	DatabaseRefusal(String reason) {
		this.reason = reason;
	}

	/**
	 * Return what the refusal means, in words: "the password was refused".
	 * @return the reason
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * Return whether waiting may help: only for {@link #UNREACHABLE}.
	 * @return whether the refusal may pass by itself
	 */
	public boolean isTransient() {
		return this == UNREACHABLE;
	}

	/**
	 * Find the refusal behind a failed connection attempt, looking through the causes (a
	 * connection pool wraps the driver's exception).
	 * @param failure what {@code getConnection()} threw
	 * @return the refusal, or empty if the failure is none of the known ones
	 */
	public static Optional<DatabaseRefusal> of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				DatabaseRefusal refusal = of(sql.getSQLState(), sql.getErrorCode(), sql.getMessage());
				if (refusal != null) {
					return Optional.of(refusal);
				}
			}
			if (cause instanceof ConnectException || cause instanceof UnknownHostException
					|| cause instanceof NoRouteToHostException) {
				return Optional.of(UNREACHABLE);
			}
		}
		return Optional.empty();
	}

	private static @Nullable DatabaseRefusal of(@Nullable String state, int vendorCode, @Nullable String message) {
		// MariaDB and MySQL: the vendor code says more than the state
		switch (vendorCode) {
			case 1049:
				return DATABASE_MISSING;
			case 1044, 1045, 1698:
				return ACCESS_DENIED;
			default:
		}
		if (state == null) {
			return null;
		}
		return switch (state) {
			// PostgreSQL's invalid_catalog_name; H2's "database not found"
			case "3D000", "90146" -> DATABASE_MISSING;
			case "28P01" -> PASSWORD_REFUSED;
			case "28000" -> (message != null && message.contains("does not exist")) ? USER_UNKNOWN : ACCESS_DENIED;
			case "08001", "08004", "08006" -> UNREACHABLE;
			default -> null;
		};
	}

}
