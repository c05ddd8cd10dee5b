package io.eventlistener.actuate;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.logging.OutageLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health indicator that answers within a bound whatever the broker or the database
 * does: the check runs on a thread of its own and, if it has not answered within the
 * timeout (2 s unless said otherwise), the answer is {@code DOWN} with the reason. A
 * check still waiting is not started again, so a frozen connection holds at most one
 * thread per indicator; its answer serves the next call once it arrives.
 */
public abstract class TimeBoundedHealthIndicator implements HealthIndicator {

	/** How long a health check may take unless said otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(TimeBoundedHealthIndicator.class);

	/**
	 * Checks fail on every call while the broker or the database is down: one line each
	 * outage.
	 */
	private final OutageLog failures;

	private final Duration timeout;

	private final Executor executor;

	private volatile @Nullable CompletableFuture<Health> inFlight;

	/**
	 * Create a new {@code TimeBoundedHealthIndicator}.
	 * @param failureMessage names the check in the line logged when it fails
	 * @param checks runs the checks, a thread per check (one that hangs must not hold a
	 * pool's thread)
	 */
	protected TimeBoundedHealthIndicator(String failureMessage, Executor checks) {
		this(failureMessage, DEFAULT_TIMEOUT, checks);
	}

	/**
	 * Create a new {@code TimeBoundedHealthIndicator}.
	 * @param failureMessage names the check in the line logged when it fails
	 * @param timeout how long a check may take before the answer is {@code DOWN}
	 * @param checks runs the checks, a thread per check (one that hangs must not hold a
	 * pool's thread)
	 */
	protected TimeBoundedHealthIndicator(String failureMessage, Duration timeout, Executor checks) {
		this.failures = new OutageLog(logger, failureMessage);
		this.timeout = timeout;
		this.executor = checks;
	}

	@Override
	public final Health health() {
		CompletableFuture<Health> check = this.inFlight;
		if (check == null || check.isDone()) {
			check = CompletableFuture.supplyAsync(this::check, this.executor);
			this.inFlight = check;
		}
		try {
			return check.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return Health.down()
				.withDetail("reason",
						"No answer within " + this.timeout
								+ ": the broker or the database this check asks is not answering")
				.build();
		}
		catch (ExecutionException ex) {
			// the failure's message may quote a URL or SQL: escaped, credentials removed
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return Health.down().withDetail("error", LogSanitizer.sanitize(cause)).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().withDetail("reason", "Interrupted").build();
		}
	}

	private Health check() {
		Health.Builder builder = new Health.Builder();
		try {
			doHealthCheck(builder);
			this.failures.succeeded();
		}
		catch (Exception ex) {
			this.failures.failed(ex, "reported as DOWN");
			builder.down(ex);
		}
		return builder.build();
	}

	/**
	 * Check health, as {@code AbstractHealthIndicator} does; may block.
	 * @param builder the health to build
	 * @throws Exception any failure, reported as {@code DOWN}
	 */
	protected abstract void doHealthCheck(Health.Builder builder) throws Exception;

}
