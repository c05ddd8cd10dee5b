package io.eventlistener.dispatch;

import com.rabbitmq.client.Channel;
import io.eventlistener.CurrentDelivery;
import io.eventlistener.registry.MultiplexedConsumers;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservation;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservationConvention;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageReceiverContext;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOffExecution;

/**
 * What every delivery runs through between the consumer and the {@link EventDispatcher},
 * as plain calls (no proxy, nothing allocated per delivery beyond the redelivered flag's
 * scope):
 * <ol>
 * <li>the listener observation, when observations are on (Spring AMQP's, tagged by
 * observer type);</li>
 * <li>the broker's redelivered flag, visible to handlers through
 * {@link CurrentDelivery};</li>
 * <li>the dispatcher; returning lets the consumer acknowledge;</li>
 * <li>on failure, the one decision of what becomes of the delivery: tried again in place
 * while the {@link DeliveryRetry retry policy} allows (a handler failure the exception
 * handlers call retryable), then handed to the recoverer, which dead-letters it (or
 * discards it, dead-lettering off) so that the consumer acknowledges it, or throws
 * {@link org.springframework.amqp.ImmediateRequeueAmqpException} (the observer is gone
 * here, dead-lettering failed) so that the consumer requeues it.</li>
 * </ol>
 * Headers named {@code x-event-listener-*} that a delivery arrives with are removed
 * first: they are the starter's own (attempts, observer, queue, requeues), and a
 * publisher's presets must not count an attempt or name a target for it.
 * <p>
 * A handler's own requeue and an outage are settled inside the dispatcher, before a
 * failure reaches this far. Failures reach the recoverer wrapped in a
 * {@link ListenerExecutionFailedException}, as a listener container wraps them, so the
 * dead-letter headers are Spring AMQP's.
 */
public final class DeliveryPipeline implements MultiplexedConsumers.Listener {

	private final MessageListener dispatcher;

	private final RetryPolicy retry;

	private final MessageRecoverer recoverer;

	private final @Nullable ObservationRegistry observations;

	private final @Nullable RabbitListenerObservationConvention convention;

	/**
	 * Create a new {@code DeliveryPipeline} without observations.
	 * @param dispatcher hands each delivery to its handler
	 * @param retry which failures are tried again in place, how often, after what wait
	 * @param recoverer takes the deliveries that will not be tried again
	 */
	public DeliveryPipeline(MessageListener dispatcher, RetryPolicy retry, MessageRecoverer recoverer) {
		this(dispatcher, retry, recoverer, null, null);
	}

	/**
	 * Create a new {@code DeliveryPipeline} that observes each delivery as a listener
	 * container would.
	 * @param dispatcher hands each delivery to its handler
	 * @param retry which failures are tried again in place, how often, after what wait
	 * @param recoverer takes the deliveries that will not be tried again
	 * @param observations records the observations, or {@code null} for none
	 * @param convention names and tags them
	 */
	public DeliveryPipeline(MessageListener dispatcher, RetryPolicy retry, MessageRecoverer recoverer,
			@Nullable ObservationRegistry observations, @Nullable RabbitListenerObservationConvention convention) {
		this.dispatcher = dispatcher;
		this.retry = retry;
		this.recoverer = recoverer;
		this.observations = observations;
		this.convention = convention;
	}

	@Override
	public void invokeListener(Channel channel, Object data) {
		Message message = (Message) data;
		ObservationRegistry registry = this.observations;
		if (registry == null) {
			deliver(message);
			return;
		}
		RabbitListenerObservation.LISTENER_OBSERVATION
			.observation(this.convention, RabbitListenerObservation.DefaultRabbitListenerObservationConvention.INSTANCE,
					() -> new RabbitMessageReceiverContext(message, "eventListenerConsumers"), registry)
			.observe(() -> deliver(message));
	}

	private void deliver(Message message) {
		DeadLetterRecoverer.removeStarterHeaders(message.getMessageProperties());
		boolean redelivered = Boolean.TRUE.equals(message.getMessageProperties().isRedelivered());
		try {
			CurrentDelivery.with(redelivered, () -> {
				dispatchWithRetries(message);
				return null;
			});
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Dispatch; after a failure, follow the retry policy (as Spring's
	 * {@code RetryTemplate} does, but without its per-call set-up on the path that
	 * succeeds), then recover.
	 */
	private void dispatchWithRetries(Message message) {
		RuntimeException failure = dispatch(message);
		if (failure == null) {
			return;
		}
		BackOffExecution backOff = null;
		while (this.retry.shouldRetry(failure)) {
			if (backOff == null) {
				backOff = this.retry.getBackOff().start();
			}
			long wait = backOff.nextBackOff();
			if (wait == BackOffExecution.STOP || !sleep(wait)) {
				break;
			}
			failure = dispatch(message);
			if (failure == null) {
				return;
			}
		}
		this.recoverer.recover(message, failure);
	}

	/** Dispatch; return the failure, wrapped as a container wraps it, or null. */
	private @Nullable RuntimeException dispatch(Message message) {
		try {
			this.dispatcher.onMessage(message);
			return null;
		}
		catch (RuntimeException ex) {
			return new ListenerExecutionFailedException("Listener threw exception", ex, message);
		}
	}

	private static boolean sleep(long millis) {
		try {
			Thread.sleep(millis);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
