package io.eventlistener.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.eventlistener.logging.LogSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Pauses consuming while a resource the handlers need is down, instead of retrying and
 * dead-lettering events that cannot succeed until it is back (and spending the error
 * budget on an outage). When a handler failure is an outage ({@link OutageClassifier}),
 * the handler thread waits, holding its delivery unacknowledged; so does every other
 * handler thread at its next delivery, so consuming stops for every observer (the handler
 * threads are shared) and the rest of the events wait in their queues. One probe thread
 * asks the resource with exponential back-off; once it answers, the waiting deliveries
 * are handled again, in place, and consuming goes on. Nothing is requeued, retried or
 * counted against the error budget meanwhile; one warning when a pause starts, one line
 * when it ends.
 * <p>
 * Stopping the listener during a pause returns the waiting deliveries to their queues.
 */
public class OutagePause extends WaiterReleasingLifecycle {

	private static final Log logger = LogFactory.getLog(OutagePause.class);

	private final OutageClassifier classifier;

	private final Probe probe;

	private final ExponentialBackOff backOff;

	private final Clock clock;

	private final Executor prober;

	private @Nullable Paused paused;

	private long pauses;

	/**
	 * Create a new {@code OutagePause}.
	 * @param classifier says which failures are outages
	 * @param probe asks the resource whether it answers again
	 * @param initialInterval the first wait between probes
	 * @param maxInterval the longest wait between probes
	 * @param clock the time source
	 * @param prober runs the probing, one task per outage that lasts until the resource
	 * answers; not the shared scheduler, which a probe hanging in {@code getConnection()}
	 * would hold
	 */
	public OutagePause(OutageClassifier classifier, Probe probe, Duration initialInterval, Duration maxInterval,
			Clock clock, Executor prober) {
		super(false);
		this.classifier = classifier;
		this.probe = probe;
		this.backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
		this.backOff.setMaxInterval(maxInterval.toMillis());
		this.clock = clock;
		this.prober = prober;
	}

	/**
	 * Tell whether a failure is an outage.
	 * @param failure what a handler threw
	 * @return whether it says a resource the handlers need is down
	 */
	public boolean isOutage(Throwable failure) {
		return this.classifier.isOutage(failure);
	}

	/**
	 * Pause for this outage (the first caller starts the pause and its probe), and return
	 * once the resource answers again.
	 * @param failure the outage a handler met
	 * @throws ImmediateRequeueAmqpException if the listener stops meanwhile: the delivery
	 * goes back to its queue
	 */
	public void awaitRecovery(Throwable failure) {
		synchronized (lock()) {
			if (this.paused == null) {
				Paused pause = new Paused(reason(failure), this.clock.instant());
				this.paused = pause;
				this.pauses++;
				logger.warn("Consuming paused: a resource the handlers need is down (" + pause.reason()
						+ "); events wait in their queues and are handled once it answers");
				this.prober.execute(this::probeUntilItAnswers);
			}
			awaitResumed();
		}
	}

	private static String reason(Throwable failure) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
		if (reason.length() > 200) {
			reason = reason.substring(0, 200) + "...";
		}
		// logged and shown in the health details: escaped, credentials removed
		return LogSanitizer.sanitize((root != failure) ? reason + " (caused by " + root + ")" : reason);
	}

	/**
	 * Return at once when not paused, else when the pause ends.
	 * @throws ImmediateRequeueAmqpException if the listener stops meanwhile
	 */
	public void awaitNotPaused() {
		synchronized (lock()) {
			awaitResumed();
		}
	}

	private void awaitResumed() {
		while (this.paused != null && isRunning()) {
			try {
				lock().wait();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (this.paused != null) {
			throw new ImmediateRequeueAmqpException("The listener stopped during an outage pause");
		}
	}

	/**
	 * Return the current pause, if consuming is paused.
	 * @return the current pause, if consuming is paused
	 */
	public Optional<Paused> current() {
		synchronized (lock()) {
			return Optional.ofNullable(this.paused);
		}
	}

	/**
	 * Return how many pauses there were since start-up.
	 * @return how many pauses there were since start-up
	 */
	public long pauses() {
		synchronized (lock()) {
			return this.pauses;
		}
	}

	private void probeUntilItAnswers() {
		// wait before the first probe too: a failure the probe does not see (a resource
		// of an application's classifier) is then tried again once per interval, not in
		// a loop
		BackOffExecution waits = this.backOff.start();
		do {
			try {
				TimeUnit.MILLISECONDS.sleep(waits.nextBackOff());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		while (isRunning() && !answers());
		synchronized (lock()) {
			Paused pause = this.paused;
			this.paused = null;
			lock().notifyAll();
			if (pause != null) {
				logger.info("Consuming resumed: the resource answers again after "
						+ Duration.between(pause.since(), this.clock.instant()));
			}
		}
	}

	private boolean answers() {
		try {
			this.probe.check();
			return true;
		}
		catch (Exception ex) {
			logger.debug("Still paused: " + ex);
			return false;
		}
	}

	/**
	 * Asks the resource whether it answers.
	 */
	@FunctionalInterface
	public interface Probe {

		/**
		 * Check that the resource answers.
		 * @throws Exception if it does not answer
		 */
		void check() throws Exception;

		/**
		 * A probe that asks the database for a valid connection, then asks every other
		 * probe.
		 * @param dataSource the application's database
		 * @param others the application's own probes, in order
		 * @return the probe
		 */
		static Probe database(DataSource dataSource, List<Probe> others) {
			return () -> {
				try (Connection connection = dataSource.getConnection()) {
					if (!connection.isValid(2)) {
						throw new SQLException("The database connection is not valid");
					}
				}
				for (Probe probe : others) {
					probe.check();
				}
			};
		}

	}

	/**
	 * A pause: why and since when.
	 *
	 * @param reason the failure that started it
	 * @param since when it started
	 */
	public record Paused(String reason, Instant since) {

	}

}
