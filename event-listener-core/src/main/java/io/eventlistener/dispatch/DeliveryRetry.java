package io.eventlistener.dispatch;

import java.time.Duration;

import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.core.retry.RetryPolicy;

/**
 * Builds the container advice that retries a failed delivery in place, with exponential
 * back-off, while its {@link EventHandlingException} says it may be retried and the
 * attempts last, then hands it to the recoverer (Spring AMQP's stateless retry
 * interceptor). Anything else, such as a malformed body, goes to the recoverer at once.
 * Retrying holds up only the failing observer's own queue, for at most the back-off.
 */
public final class DeliveryRetry {

	private DeliveryRetry() {
	}

	/**
	 * Build the retry interceptor.
	 * @param maxAttempts handler invocations per delivery, at least 1
	 * @param initialInterval the first back-off
	 * @param multiplier how much each back-off grows
	 * @param maxInterval the longest back-off
	 * @param recoverer takes deliveries that will not be retried
	 * @return the advice for the listener container
	 */
	public static MethodInterceptor interceptor(int maxAttempts, Duration initialInterval, double multiplier,
			Duration maxInterval, MessageRecoverer recoverer) {
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(Math.max(0, maxAttempts - 1))
			.delay(initialInterval)
			.multiplier(multiplier)
			.maxDelay(maxInterval)
			.predicate(DeliveryRetry::isRetryable)
			.build();
		return RetryInterceptorBuilder.stateless().retryPolicy(policy).recoverer(recoverer).build();
	}

	static boolean isRetryable(Throwable failure) {
		return DeadLetterRecoverer.causeOfType(failure, EventHandlingException.class)
			.map(EventHandlingException::isRetryable)
			.orElse(false);
	}

}
