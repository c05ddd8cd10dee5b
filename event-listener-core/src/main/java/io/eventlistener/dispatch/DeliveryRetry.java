package io.eventlistener.dispatch;

import java.time.Duration;

import org.springframework.core.retry.RetryPolicy;

/**
 * Builds the policy that retries a failed delivery in place, with exponential back-off,
 * while its {@link EventHandlingException} says it may be retried and the attempts last
 * (Spring's {@link RetryPolicy}, which {@link DeliveryPipeline} follows). Anything else,
 * such as a malformed body, is not retried. Retrying holds up only the failing observer's
 * own queue, for at most the back-off.
 */
public final class DeliveryRetry {

	private DeliveryRetry() {
	}

	/**
	 * Build the retry policy.
	 * @param maxAttempts handler invocations per delivery, at least 1
	 * @param initialInterval the first back-off
	 * @param multiplier how much each back-off grows
	 * @param maxInterval the longest back-off
	 * @return the policy
	 */
	public static RetryPolicy policy(int maxAttempts, Duration initialInterval, double multiplier,
			Duration maxInterval) {
		return RetryPolicy.builder()
			.maxRetries(Math.max(0, maxAttempts - 1))
			.delay(initialInterval)
			.multiplier(multiplier)
			.maxDelay(maxInterval)
			.predicate(DeliveryRetry::isRetryable)
			.build();
	}

	static boolean isRetryable(Throwable failure) {
		return DeadLetterRecoverer.causeOfType(failure, EventHandlingException.class)
			.map(EventHandlingException::isRetryable)
			.orElse(false);
	}

}
