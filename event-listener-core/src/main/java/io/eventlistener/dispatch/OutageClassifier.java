package io.eventlistener.dispatch;

import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Decides whether a handler failed because a resource it needs is down (the database
 * unreachable, its pool timing out) rather than because of the event: the next event
 * would fail the same way, so consuming pauses ({@link OutagePause}) instead of retrying
 * and dead-lettering. Declare beans of this type to add your own outages (a remote
 * service's client exception); any classifier saying yes makes it an outage.
 */
@FunctionalInterface
public interface OutageClassifier {

	/**
	 * Tell whether a failure is an outage.
	 * @param failure what the handler threw
	 * @return whether it says a resource is down
	 */
	boolean isOutage(Throwable failure);

	/**
	 * Spring's {@link TransientDataAccessException} and
	 * {@link DataAccessResourceFailureException} (which covers
	 * {@code CannotGetJdbcConnectionException}), {@link CannotCreateTransactionException}
	 * (no connection for a {@code @Transactional} method) and JDBC's
	 * {@link SQLTransientConnectionException} (a pool's timeout), anywhere in the cause
	 * chain.
	 * @return the default classifier
	 */
	static OutageClassifier defaults() {
		List<Class<? extends Throwable>> outages = List.of(TransientDataAccessException.class,
				DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
				SQLTransientConnectionException.class);
		return (failure) -> {
			for (@Nullable
			Throwable cause = failure; cause != null; cause = cause.getCause()) {
				for (Class<? extends Throwable> outage : outages) {
					if (outage.isInstance(cause)) {
						return true;
					}
				}
			}
			return false;
		};
	}

	/**
	 * The {@link #defaults() default} classifier, and the application's as well.
	 * @param others the application's classifiers, in order
	 * @return a classifier that says yes when the default or any of them does
	 */
	static OutageClassifier defaultsAnd(List<OutageClassifier> others) {
		List<OutageClassifier> classifiers = new ArrayList<>(others);
		classifiers.add(0, defaults());
		return anyOf(classifiers);
	}

	/**
	 * A classifier that sees an outage where any of the given ones does.
	 * @param classifiers the classifiers to ask
	 * @return a classifier that says yes when any of them does
	 */
	static OutageClassifier anyOf(List<OutageClassifier> classifiers) {
		return (failure) -> classifiers.stream().anyMatch((classifier) -> classifier.isOutage(failure));
	}

}
