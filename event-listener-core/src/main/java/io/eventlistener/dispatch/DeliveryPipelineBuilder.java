package io.eventlistener.dispatch;

import java.util.List;
import java.util.function.Supplier;

import io.eventlistener.EventExceptionHandler;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservationConvention;
import org.springframework.core.retry.RetryPolicy;

/**
 * Assembles the one delivery chain, {@link DeliveryPipeline} around
 * {@link EventDispatcher}, from its parts: the wiring names the parts, this class knows
 * how they fit (the exception handlers' chain, the listeners shared by the dispatcher and
 * the dead-letter step, the optional observation).
 */
public final class DeliveryPipelineBuilder {

	private final ObserverRegistry registry;

	private final ObserverHandlers handlers;

	private final EventCodec codec;

	private final ErrorBudget errorBudget;

	private List<EventQueueBinding> eventQueues = List.of();

	private List<EventExceptionHandler> exceptionHandlers = List.of();

	private RetryMode retryMode = RetryMode.VOTE;

	private RetryPolicy retry = RetryPolicy.withMaxRetries(0);

	private RequeueBackOff requeueBackOff = RequeueBackOff.defaults();

	private Supplier<List<DeliveryListener>> listeners = List::of;

	private MessageRecoverer recoverer = DeadLetterRecoverer.discarding();

	private boolean deadLettering;

	private @Nullable OutagePause outagePause;

	private @Nullable EventReplies replies;

	private @Nullable EventInbox inbox;

	private @Nullable ObservationRegistry observations;

	private @Nullable RabbitListenerObservationConvention convention;

	/**
	 * Start a pipeline.
	 * @param registry finds the observer of a queue
	 * @param handlers the handler of each observer type
	 * @param codec reads event bodies
	 * @param errorBudget counts every handler failure
	 */
	public DeliveryPipelineBuilder(ObserverRegistry registry, ObserverHandlers handlers, EventCodec codec,
			ErrorBudget errorBudget) {
		this.registry = registry;
		this.handlers = handlers;
		this.codec = codec;
		this.errorBudget = errorBudget;
	}

	/** The application's own queues ({@link EventQueueBinding}s). */
	public DeliveryPipelineBuilder eventQueues(List<EventQueueBinding> eventQueues) {
		this.eventQueues = List.copyOf(eventQueues);
		return this;
	}

	/** Who decides whether a failed delivery is tried again, and how votes combine. */
	public DeliveryPipelineBuilder exceptionHandlers(List<EventExceptionHandler> handlers, RetryMode mode) {
		this.exceptionHandlers = List.copyOf(handlers);
		this.retryMode = mode;
		return this;
	}

	/** How often, and after what wait, a retryable failure is tried again in place. */
	public DeliveryPipelineBuilder retry(RetryPolicy retry) {
		this.retry = retry;
		return this;
	}

	/** How deliveries a handler requeued are tried again. */
	public DeliveryPipelineBuilder requeueBackOff(RequeueBackOff requeueBackOff) {
		this.requeueBackOff = requeueBackOff;
		return this;
	}

	/**
	 * Who hears of every handled, failed, malformed and given-up delivery; asked once,
	 * when the pipeline is built.
	 */
	public DeliveryPipelineBuilder listeners(Supplier<List<DeliveryListener>> listeners) {
		this.listeners = listeners;
		return this;
	}

	/**
	 * What takes the deliveries no longer tried.
	 * @param recoverer dead-letters or discards them
	 * @param deadLettering whether it dead-letters ({@code false}: it discards)
	 */
	public DeliveryPipelineBuilder recoverer(MessageRecoverer recoverer, boolean deadLettering) {
		this.recoverer = recoverer;
		this.deadLettering = deadLettering;
		return this;
	}

	/** Pauses consuming while a resource is out; {@code null} for none. */
	public DeliveryPipelineBuilder outagePause(@Nullable OutagePause outagePause) {
		this.outagePause = outagePause;
		return this;
	}

	/** Sends reply handlers' answers; {@code null} to ignore return values. */
	public DeliveryPipelineBuilder replies(@Nullable EventReplies replies) {
		this.replies = replies;
		return this;
	}

	/**
	 * Record each handled delivery in the handler's transaction, and acknowledge its
	 * copies without handling them; {@code null} for no inbox.
	 */
	public DeliveryPipelineBuilder inbox(@Nullable EventInbox inbox) {
		this.inbox = inbox;
		return this;
	}

	/**
	 * Observe each delivery as a listener container would; {@code null} for no
	 * observations.
	 */
	public DeliveryPipelineBuilder observations(@Nullable ObservationRegistry observations,
			RabbitListenerObservationConvention convention) {
		this.observations = observations;
		this.convention = convention;
		return this;
	}

	public DeliveryPipeline build() {
		DeliveryListeners listeners = new DeliveryListeners(this.listeners.get());
		EventDispatcher dispatcher = new EventDispatcher(this.registry, this.handlers, this.eventQueues, this.codec,
				new ExceptionHandlerChain(this.exceptionHandlers, this.retryMode), this.errorBudget, listeners,
				this.outagePause);
		dispatcher.setReplies(this.replies);
		dispatcher.setInbox(this.inbox);
		dispatcher.setRequeueBackOff(this.requeueBackOff);
		MessageRecoverer recoverer = DeliveryListeners.notifying(this.recoverer, this.deadLettering, () -> listeners);
		return new DeliveryPipeline(dispatcher, this.retry, recoverer, this.observations, this.convention);
	}

}
