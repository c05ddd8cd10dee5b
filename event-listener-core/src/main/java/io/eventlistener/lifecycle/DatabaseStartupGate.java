package io.eventlistener.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.eventlistener.logging.LogSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Holds start-up until the database answers, so that an application started while its
 * database is down waits for it, saying so, instead of failing: each attempt that fails
 * is logged with the database and the reason, and retried with exponential back-off, for
 * at most {@code maxWait}; then the start fails with
 * {@link DatabaseStartupTimeoutException}. A refusal that waiting cannot fix (a missing
 * database, an unknown user, a refused password: {@link DatabaseRefusal}) fails it at
 * once with {@link DatabaseRefusedException}. Runs just before
 * {@link EventListenerLifecycle}, which loads the observers.
 * <p>
 * Hibernate itself must not need the database while the context is built: set the dialect
 * ({@code spring.jpa.database-platform}),
 * {@code spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false} and no
 * schema creation where the database may be down at start-up.
 */
public class DatabaseStartupGate implements SmartLifecycle {

	/** The phase: just before {@link EventListenerLifecycle#PHASE}. */
	public static final int PHASE = EventListenerLifecycle.PHASE - 1;

	private static final Log logger = LogFactory.getLog(DatabaseStartupGate.class);

	private final DataSource dataSource;

	private final String description;

	private final ExponentialBackOff backOff;

	private final Duration maxWait;

	private final ThreadFactory shutdownHookThreads;

	private volatile boolean running;

	/**
	 * Create a new {@code DatabaseStartupGate} that tries again after 1 s, doubling the
	 * wait up to 30 s.
	 * @param dataSource the database to wait for
	 * @param description how log lines name it, such as its JDBC URL
	 * @param maxWait the longest wait in all, from the first attempt
	 * @param shutdownHookThreads makes the JVM shutdown hook registered while waiting
	 */
	public DatabaseStartupGate(DataSource dataSource, String description, Duration maxWait,
			ThreadFactory shutdownHookThreads) {
		this(dataSource, description, Duration.ofSeconds(1), Duration.ofSeconds(30), maxWait, shutdownHookThreads);
	}

	/**
	 * Create a new {@code DatabaseStartupGate}.
	 * @param dataSource the database to wait for
	 * @param description how log lines name it, such as its JDBC URL
	 * @param initialInterval the first wait
	 * @param maxInterval the longest wait between two attempts
	 * @param maxWait the longest wait in all, from the first attempt
	 * @param shutdownHookThreads makes the JVM shutdown hook registered while waiting (a
	 * thread that must not be started, so not a pool's)
	 */
	public DatabaseStartupGate(DataSource dataSource, String description, Duration initialInterval,
			Duration maxInterval, Duration maxWait, ThreadFactory shutdownHookThreads) {
		this.dataSource = dataSource;
		// a JDBC URL may hold a password
		this.description = LogSanitizer.sanitize(description);
		this.backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
		this.backOff.setMaxInterval(maxInterval.toMillis());
		this.maxWait = maxWait;
		this.shutdownHookThreads = shutdownHookThreads;
	}

	@Override
	public void start() {
		awaitAvailable();
		this.running = true;
	}

	/**
	 * Return once the database answers, logging and backing off while it does not. For
	 * start-up work that needs the database before this lifecycle's phase.
	 * <p>
	 * A JVM shutdown (SIGTERM, SIGINT, {@code System.exit}) ends the wait: Spring's own
	 * shutdown hook cannot close a context that is still starting, so a hook of the
	 * gate's, registered for the wait only, interrupts it, and the start fails with
	 * {@link DatabaseWaitAbandonedException} after one log line.
	 * @throws DatabaseWaitAbandonedException if the JVM began to shut down meanwhile
	 * @throws DatabaseStartupTimeoutException if the database did not answer within the
	 * longest wait
	 */
	public void awaitAvailable() {
		Thread waiting = Thread.currentThread();
		AtomicBoolean shuttingDown = new AtomicBoolean();
		CountDownLatch left = new CountDownLatch(1);
		Thread abort = this.shutdownHookThreads.newThread(() -> {
			shuttingDown.set(true);
			waiting.interrupt();
			awaitQuietly(left);
		});
		Runtime.getRuntime().addShutdownHook(abort);
		try {
			BackOffExecution waits = this.backOff.start();
			long deadline = System.nanoTime() + this.maxWait.toNanos();
			while (!answers(waits, deadline, shuttingDown)) {
				// keep waiting: answers() logged why and slept
			}
		}
		finally {
			if (shuttingDown.get()) {
				// the gate's interrupt may have arrived after the wait, in
				// getConnection()
				Thread.interrupted();
			}
			left.countDown();
			removeQuietly(abort);
		}
	}

	private boolean answers(BackOffExecution waits, long deadline, AtomicBoolean shuttingDown) {
		try (Connection connection = this.dataSource.getConnection()) {
			if (connection.isValid(5)) {
				return true;
			}
			return waitAfter("the connection is not valid", waits, deadline, shuttingDown);
		}
		catch (SQLException | RuntimeException ex) {
			DatabaseRefusal refusal = DatabaseRefusal.of(ex).orElse(DatabaseRefusal.UNREACHABLE);
			if (!refusal.isTransient()) {
				// a missing database or a refused password does not pass by waiting
				throw new DatabaseRefusedException(refusal, this.description, DatabaseStartupCheck.driverMessage(ex));
			}
			return waitAfter(LogSanitizer.sanitize(ex.getMessage()), waits, deadline, shuttingDown);
		}
	}

	private boolean waitAfter(String reason, BackOffExecution waits, long deadline, AtomicBoolean shuttingDown) {
		if (shuttingDown.get()) {
			throw abandoned();
		}
		long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
		if (left <= 0) {
			throw new DatabaseStartupTimeoutException(this.description, this.maxWait, reason);
		}
		long wait = Math.min(waits.nextBackOff(), left);
		logger.warn("Database " + this.description + " is unavailable (" + reason + "); the event listener waits "
				+ wait + " ms before trying again");
		try {
			TimeUnit.MILLISECONDS.sleep(wait);
		}
		catch (InterruptedException ex) {
			if (shuttingDown.get()) {
				// the interrupt was the gate's own; kept, it would break the beans' stop
				throw abandoned();
			}
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for database " + this.description, ex);
		}
		return false;
	}

	private DatabaseWaitAbandonedException abandoned() {
		DatabaseWaitAbandonedException abandoned = new DatabaseWaitAbandonedException(this.description);
		logger.warn(abandoned.getMessage());
		return abandoned;
	}

	private static void awaitQuietly(CountDownLatch left) {
		try {
			// long enough for the gate to log and fail the start, never holding the JVM
			left.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void removeQuietly(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down: the hook has run
		}
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
