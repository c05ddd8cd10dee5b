package io.eventlistener.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a delivery a handler requeued ({@code EventRequeueException}, or an annotated
 * method returning {@code EventOutcome.REQUEUE}) is tried again, under
 * {@code event-listener.requeue}: in place, after a growing back-off, at most
 * {@code max-requeues} times, then dead-lettered. Requeues are not failures: they use
 * none of the retry attempts and do not count against the error budget.
 */
@ConfigurationProperties("event-listener.requeue")
public class RequeueProperties {

	/**
	 * How often one delivery may be requeued by its handler; one more requeue
	 * dead-letters it. 0 dead-letters at the first requeue.
	 */
	private int maxRequeues = 5;

	/**
	 * The wait before a requeued delivery is tried again the first time.
	 */
	private Duration initialInterval = Duration.ofSeconds(1);

	/**
	 * How much each wait grows over the one before.
	 */
	private double multiplier = 2.0;

	/**
	 * The longest wait before a requeued delivery is tried again.
	 */
	private Duration maxInterval = Duration.ofSeconds(30);

	public int getMaxRequeues() {
		return this.maxRequeues;
	}

	public void setMaxRequeues(int maxRequeues) {
		this.maxRequeues = maxRequeues;
	}

	public Duration getInitialInterval() {
		return this.initialInterval;
	}

	public void setInitialInterval(Duration initialInterval) {
		this.initialInterval = initialInterval;
	}

	public double getMultiplier() {
		return this.multiplier;
	}

	public void setMultiplier(double multiplier) {
		this.multiplier = multiplier;
	}

	public Duration getMaxInterval() {
		return this.maxInterval;
	}

	public void setMaxInterval(Duration maxInterval) {
		this.maxInterval = maxInterval;
	}

}
