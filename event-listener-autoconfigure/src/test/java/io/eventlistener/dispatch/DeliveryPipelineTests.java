package io.eventlistener.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.CurrentDelivery;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The delivery pipeline's decisions, without a broker: retry in place while the policy
 * allows, then recover; what is not retryable is recovered at once; the redelivered flag
 * reaches the handler.
 */
class DeliveryPipelineTests {

	private final List<Throwable> recovered = new ArrayList<>();

	private final AtomicInteger calls = new AtomicInteger();

	@Test
	void aRetryableFailureIsTriedAgainInPlaceThenRecovered() {
		DeliveryPipeline pipeline = pipeline(3, (message) -> {
			this.calls.incrementAndGet();
			throw new EventHandlingException("down", new IllegalStateException("down"), true);
		});
		pipeline.invokeListener(null, message(false));
		assertThat(this.calls).hasValue(3);
		assertThat(this.recovered).singleElement()
			.isInstanceOf(ListenerExecutionFailedException.class)
			.extracting(Throwable::getCause)
			.isInstanceOf(EventHandlingException.class);
	}

	@Test
	void aRetryThatSucceedsIsNotRecovered() {
		DeliveryPipeline pipeline = pipeline(3, (message) -> {
			if (this.calls.incrementAndGet() == 1) {
				throw new EventHandlingException("once", new IllegalStateException("once"), true);
			}
		});
		pipeline.invokeListener(null, message(false));
		assertThat(this.calls).hasValue(2);
		assertThat(this.recovered).isEmpty();
	}

	@Test
	void whatIsNotRetryableIsRecoveredAtOnce() {
		DeliveryPipeline pipeline = pipeline(3, (message) -> {
			this.calls.incrementAndGet();
			throw new AmqpRejectAndDontRequeueException("malformed");
		});
		pipeline.invokeListener(null, message(false));
		assertThat(this.calls).hasValue(1);
		assertThat(this.recovered).hasSize(1);
	}

	@Test
	void aRecovererThatRequeuesMakesTheConsumerRequeue() {
		DeliveryPipeline pipeline = new DeliveryPipeline((message) -> {
			throw new ImmediateRequeueAmqpException("not registered here");
		}, DeliveryRetry.policy(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1)), new DeadLetterRecovererStub());
		assertThatExceptionOfType(ImmediateRequeueAmqpException.class)
			.isThrownBy(() -> pipeline.invokeListener(null, message(false)));
	}

	@Test
	void handlersSeeTheRedeliveredFlag() {
		List<Boolean> seen = new ArrayList<>();
		DeliveryPipeline pipeline = pipeline(1, (message) -> seen.add(CurrentDelivery.isRedelivered()));
		pipeline.invokeListener(null, message(true));
		pipeline.invokeListener(null, message(false));
		assertThat(seen).containsExactly(true, false);
		assertThat(CurrentDelivery.isRedelivered()).isFalse();
	}

	private DeliveryPipeline pipeline(int maxAttempts, org.springframework.amqp.core.MessageListener dispatcher) {
		return new DeliveryPipeline(dispatcher,
				DeliveryRetry.policy(maxAttempts, Duration.ofMillis(1), 1.0, Duration.ofMillis(1)),
				(message, cause) -> this.recovered.add(cause));
	}

	private static Message message(boolean redelivered) {
		MessageProperties properties = new MessageProperties();
		properties.setRedelivered(redelivered);
		properties.setConsumerQueue("app.company.1");
		return new Message(new byte[0], properties);
	}

	/** Rethrows a requeue, as {@link DeadLetterRecoverer} does. */
	private static final class DeadLetterRecovererStub
			implements org.springframework.amqp.rabbit.retry.MessageRecoverer {

		@Override
		public void recover(Message message, Throwable cause) {
			DeadLetterRecoverer.discarding().recover(message, cause);
		}

	}

}
