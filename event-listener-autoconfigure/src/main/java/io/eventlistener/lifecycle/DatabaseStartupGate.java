package io.eventlistener.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Holds start-up until the database answers, so that an application started while its
 * database is down waits for it, saying so, instead of failing: each attempt that fails
 * is logged with the database and the reason, and retried with exponential back-off. Runs
 * just before {@link EventListenerLifecycle}, which loads the observers.
 * <p>
 * Hibernate itself must not need the database while the context is built: set the dialect
 * ({@code spring.jpa.database-platform}) where the database may be down at start-up.
 */
public class DatabaseStartupGate implements SmartLifecycle {

	/** The phase: just before {@link EventListenerLifecycle#PHASE}. */
	public static final int PHASE = EventListenerLifecycle.PHASE - 1;

	private static final Log logger = LogFactory.getLog(DatabaseStartupGate.class);

	private final DataSource dataSource;

	private final String description;

	private final ExponentialBackOff backOff;

	private volatile boolean running;

	/**
	 * @param dataSource the database to wait for
	 * @param description how log lines name it, such as its JDBC URL
	 * @param initialInterval the first wait
	 * @param maxInterval the longest wait
	 */
	public DatabaseStartupGate(DataSource dataSource, String description, Duration initialInterval,
			Duration maxInterval) {
		this.dataSource = dataSource;
		this.description = description;
		this.backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
		this.backOff.setMaxInterval(maxInterval.toMillis());
	}

	@Override
	public void start() {
		awaitAvailable();
		this.running = true;
	}

	/**
	 * Return once the database answers, logging and backing off while it does not. For
	 * start-up work that needs the database before this lifecycle's phase.
	 */
	public void awaitAvailable() {
		BackOffExecution waits = this.backOff.start();
		while (!answers(waits)) {
			// keep waiting: answers() logged why and slept
		}
	}

	private boolean answers(BackOffExecution waits) {
		try (Connection connection = this.dataSource.getConnection()) {
			if (connection.isValid(5)) {
				return true;
			}
			return waitAfter("the connection is not valid", waits);
		}
		catch (SQLException | RuntimeException ex) {
			return waitAfter(ex.getMessage(), waits);
		}
	}

	private boolean waitAfter(String reason, BackOffExecution waits) {
		long wait = waits.nextBackOff();
		logger.warn("Database " + this.description + " is unavailable (" + reason + "); the event listener waits "
				+ wait + " ms before trying again");
		try {
			TimeUnit.MILLISECONDS.sleep(wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for database " + this.description, ex);
		}
		return false;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
