package io.eventlistener.logging;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.ShutdownSignalException;
import io.eventlistener.BrokerBlockedException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a known outage (the broker or the database unreachable, a connection refused,
 * reset or timed out, a missed heartbeat, the broker closing connections or blocking
 * publishers) from an unexpected failure, so that an outage is logged as one line without
 * a stack trace (it says nothing about the code, and repeats for as long as the outage
 * lasts) while anything else keeps its stack trace.
 */
public final class KnownOutages {

	private static final List<Class<? extends Throwable>> OUTAGES = List.of(SocketException.class,
			SocketTimeoutException.class, EOFException.class, TimeoutException.class, AmqpConnectException.class,
			AmqpTimeoutException.class, BrokerBlockedException.class, DataAccessResourceFailureException.class,
			TransientDataAccessException.class, CannotCreateTransactionException.class,
			SQLTransientConnectionException.class, SQLNonTransientConnectionException.class);

	/** The longest description of a failure in a log line. */
	private static final int MAX_LENGTH = 300;

	private KnownOutages() {
	}

	/**
	 * Tell whether a failure, or one of its causes, is a known outage.
	 * @param failure the failure
	 * @return whether it says that the broker or the database cannot be reached
	 */
	public static boolean isOutage(Throwable failure) {
		for (@Nullable
		Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (isOutageItself(cause)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isOutageItself(Throwable cause) {
		for (Class<? extends Throwable> outage : OUTAGES) {
			if (outage.isInstance(cause)) {
				return true;
			}
		}
		if (cause instanceof ShutdownSignalException shutdown) {
			// the connection closed by the broker (CONNECTION_FORCED) or lost, not a
			// channel error
			return shutdown.isHardError() && !shutdown.isInitiatedByApplication();
		}
		// SQLState class 08: connection exception
		return cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
	}

	/**
	 * Describe a failure in one line: its type and message, and its root cause; control
	 * characters escaped and credentials removed ({@link LogSanitizer}), at most a few
	 * hundred characters.
	 * @param failure the failure
	 * @return the description
	 */
	public static String describe(Throwable failure) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
		if (root != failure) {
			text += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
		}
		if (text.length() > MAX_LENGTH) {
			text = text.substring(0, MAX_LENGTH) + "...";
		}
		return LogSanitizer.sanitize(text);
	}

}
