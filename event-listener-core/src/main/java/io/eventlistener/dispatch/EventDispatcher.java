package io.eventlistener.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.eventlistener.Event;
import io.eventlistener.EventFailure;
import io.eventlistener.EventFilter;
import io.eventlistener.EventHandler;
import io.eventlistener.EventObserver;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.EventQueueReplyHandler;
import io.eventlistener.EventReplyHandler;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import io.eventlistener.wire.MalformedMessageException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;

/**
 * Routes each delivery by the queue it came from: to the registered observer and its
 * type's {@link io.eventlistener.EventHandler}, or to an application's
 * {@link EventQueueBinding}.
 * <p>
 * Returning normally lets the container acknowledge the delivery. A body that is not an
 * event is rejected for dead-lettering at once (it could never succeed); the event a
 * handler sees carries the routing key the broker delivered it with. A handler failure
 * runs the exception handlers, counts against the error budget, and is thrown as an
 * {@link EventHandlingException} that says whether it may be retried. A delivery for a
 * queue that has just been unregistered is requeued, so another consumer gets it.
 * <p>
 * A handler's own outcomes are not failures: an {@link ImmediateRequeueAmqpException}
 * (such as {@link io.eventlistener.EventRequeueException}) tries the delivery again in
 * place after the {@link RequeueBackOff}, and dead-letters it once the requeues are used
 * up; an {@link AmqpRejectAndDontRequeueException} (such as
 * {@link io.eventlistener.EventRejectedException}) dead-letters it at once. Neither runs
 * the exception handlers or counts against the error budget.
 */
public class EventDispatcher implements MessageListener {

	private static final Log logger = LogFactory.getLog(EventDispatcher.class);

	private final ObserverRegistry registry;

	private final ObserverHandlers handlers;

	private final Map<String, EventQueueBinding> eventQueues;

	private final Map<String, EventFilter> eventQueueFilters;

	private final EventCodec codec;

	private final ExceptionHandlerChain exceptionHandlers;

	private final ErrorBudget errorBudget;

	private final DeliveryListeners listeners;

	private final RateLimitedLog malformed = new RateLimitedLog(logger);

	private final RateLimitedLog returned = new RateLimitedLog(logger);

	private final @Nullable OutagePause outagePause;

	private @Nullable EventReplies replies;

	private final RateLimitedLog requeuedLog = new RateLimitedLog(logger);

	private RequeueBackOff requeueBackOff = RequeueBackOff.defaults();

	/**
	 * Create a new {@code EventDispatcher}.
	 * @param registry finds the observer of a queue
	 * @param handlers the handler of each observer type
	 * @param eventQueues the application's own queues
	 * @param codec reads event bodies
	 * @param exceptionHandlers decide whether a failed delivery is tried again
	 * @param errorBudget counts every handler failure
	 */
	public EventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
			Iterable<EventQueueBinding> eventQueues, EventCodec codec, ExceptionHandlerChain exceptionHandlers,
			ErrorBudget errorBudget) {
		this(registry, handlers, eventQueues, codec, exceptionHandlers, errorBudget, new DeliveryListeners(List.of()));
	}

	/**
	 * Create a new {@code EventDispatcher}.
	 * @param registry finds the observer of a queue
	 * @param handlers the handler of each observer type
	 * @param eventQueues the application's own queues
	 * @param codec reads event bodies
	 * @param exceptionHandlers decide whether a failed delivery is tried again
	 * @param errorBudget counts every handler failure
	 * @param listeners hear about every handled, failed and malformed delivery
	 */
	public EventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
			Iterable<EventQueueBinding> eventQueues, EventCodec codec, ExceptionHandlerChain exceptionHandlers,
			ErrorBudget errorBudget, DeliveryListeners listeners) {
		this(registry, handlers, eventQueues, codec, exceptionHandlers, errorBudget, listeners, null);
	}

	/**
	 * Create a new {@code EventDispatcher}.
	 * @param registry finds the observer of a queue
	 * @param handlers the handler of each observer type
	 * @param eventQueues the application's own queues
	 * @param codec reads event bodies
	 * @param exceptionHandlers decide whether a failed delivery is tried again
	 * @param errorBudget counts every handler failure
	 * @param listeners hear about every handled, failed and malformed delivery
	 * @param outagePause pauses consuming when a handler fails because a resource is
	 * down, or {@code null} to treat such failures as any other
	 */
	public EventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
			Iterable<EventQueueBinding> eventQueues, EventCodec codec, ExceptionHandlerChain exceptionHandlers,
			ErrorBudget errorBudget, DeliveryListeners listeners, @Nullable OutagePause outagePause) {
		this.outagePause = outagePause;
		this.listeners = listeners;
		this.registry = registry;
		this.handlers = handlers;
		this.eventQueues = StreamSupport.stream(eventQueues.spliterator(), false)
			.collect(Collectors.toUnmodifiableMap(EventQueueBinding::queueName, Function.identity()));
		this.eventQueueFilters = this.eventQueues.values()
			.stream()
			.collect(Collectors.toUnmodifiableMap(EventQueueBinding::queueName,
					(binding) -> binding.handler().filter()));
		this.codec = codec;
		this.exceptionHandlers = exceptionHandlers;
		this.errorBudget = errorBudget;
	}

	/**
	 * Answer requests: send what a reply handler returns, or its failure, to a delivery's
	 * {@code reply_to}. Without this, return values are ignored.
	 * @param replies sends the replies, or {@code null} for none
	 */
	public void setReplies(@Nullable EventReplies replies) {
		this.replies = replies;
	}

	/**
	 * Set how deliveries a handler requeued are tried again.
	 * @param requeueBackOff the back-off and bound; {@link RequeueBackOff#defaults()} by
	 * default
	 */
	public void setRequeueBackOff(RequeueBackOff requeueBackOff) {
		this.requeueBackOff = requeueBackOff;
	}

	@Override
	public void onMessage(Message message) {
		MessageProperties properties = message.getMessageProperties();
		String queue = properties.getConsumerQueue();
		int attempt = nextAttempt(properties);
		Optional<ObserverRegistration> registration = this.registry.findByQueue(queue);
		Event event = decode(queue, message, registration.orElse(null));
		if (registration.isPresent()) {
			ObserverRegistration observer = registration.get();
			EventDelivery delivery = new EventDelivery(queue, observer, event);
			if (wanted(delivery, this.handlers.filter(observer.type()), properties)) {
				deliver(delivery, properties, attempt, this.handlers.get(observer.type()) instanceof EventReplyHandler,
						() -> invoke(observer.type(), observer.observer(), event));
			}
			return;
		}
		EventQueueBinding binding = this.eventQueues.get(queue);
		if (binding == null) {
			// the observer is being unregistered: its consumer is cancelled, and what it
			// had prefetched goes back to the queue
			this.returned.info(() -> "Returned a delivery to queue " + queue
					+ ": its observer is no longer registered here (disabled or deleted)");
			throw new ImmediateRequeueAmqpException("No observer is registered for queue " + queue);
		}
		EventDelivery delivery = new EventDelivery(queue, null, event);
		if (wanted(delivery, this.eventQueueFilters.getOrDefault(queue, EventFilter.all()), properties)) {
			deliver(delivery, properties, attempt, binding.handler() instanceof EventQueueReplyHandler, () -> {
				if (binding.handler() instanceof EventQueueReplyHandler replying) {
					return replying.reply(event);
				}
				binding.handler().handle(event);
				return null;
			});
		}
	}

	/**
	 * Whether the handler's filter lets the delivery through; one it does not is
	 * acknowledged unhandled, and counted.
	 */
	private boolean wanted(EventDelivery delivery, EventFilter filter, MessageProperties properties) {
		if (filter.matches(delivery.event(), publisherId(properties))) {
			return true;
		}
		this.listeners.filtered(delivery);
		if (logger.isTraceEnabled()) {
			logger.trace("Filtered out event " + delivery.event().routingKey() + " on queue " + delivery.queue()
					+ " (filter: " + filter + ")");
		}
		return false;
	}

	/**
	 * The publisher's id: AMQP's {@code app_id} property, which isimud's publishers leave
	 * unset.
	 */
	private static @Nullable String publisherId(MessageProperties properties) {
		return properties.getAppId();
	}

	/**
	 * Run a handler, timed, and tell the delivery listeners how it went; a reply
	 * handler's answer, or its failure, goes to a request's {@code reply_to}.
	 */
	private void deliver(EventDelivery delivery, MessageProperties properties, int attempt, boolean answers,
			Handling handling) {
		EventReplies replies = answers ? this.replies : null;
		OutagePause pause = this.outagePause;
		if (pause != null) {
			pause.awaitNotPaused();
		}
		int requeues = 0;
		while (true) {
			long start = System.nanoTime();
			try {
				Object reply = handling.run();
				this.listeners.handled(delivery, since(start));
				if (replies != null) {
					replies.reply(properties, reply);
				}
				return;
			}
			catch (ImmediateRequeueAmqpException ex) {
				this.listeners.requeued(delivery, since(start));
				if (requeues == this.requeueBackOff.maxRequeues()) {
					throw requeueLimit(delivery, properties, requeues, ex);
				}
				requeues++;
				properties.setHeader(DeadLetterRecoverer.REQUEUES_HEADER, requeues);
				int requeue = requeues;
				this.requeuedLog.info(() -> who(delivery) + " requeued event " + delivery.event().routingKey()
						+ " (requeue " + requeue + " of " + this.requeueBackOff.maxRequeues() + ", tried again in "
						+ this.requeueBackOff.interval(requeue).toMillis() + " ms): " + ex.getMessage());
				this.requeueBackOff.await(requeues);
			}
			catch (AmqpRejectAndDontRequeueException ex) {
				this.listeners.rejected(delivery, since(start));
				markObserver(delivery, properties);
				throw new EventHandlingException(
						who(delivery) + " rejected event " + delivery.event().routingKey() + ": " + ex.getMessage(), ex,
						false);
			}
			catch (Exception ex) {
				this.listeners.failed(delivery, since(start), ex);
				if (pause == null || !pause.isOutage(ex)) {
					// the requester hears of the first failure (a retry's later answer is
					// one reply too many for it), instead of waiting for its timeout
					if (replies != null) {
						replies.replyError(properties, ex);
					}
					throw failure(delivery, properties, attempt, ex);
				}
				// not the event's fault: wait for the resource, then try again in place
				pause.awaitRecovery(ex);
			}
		}
	}

	private static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

	/**
	 * Count this attempt in the delivery's headers; retries see the same message, and the
	 * dead-letter copy carries the total.
	 */
	private static int nextAttempt(MessageProperties properties) {
		Object previous = properties.getHeader(DeadLetterRecoverer.ATTEMPTS_HEADER);
		int attempt = (previous instanceof Integer count) ? count + 1 : 1;
		properties.setHeader(DeadLetterRecoverer.ATTEMPTS_HEADER, attempt);
		properties.setHeader(DeadLetterRecoverer.QUEUE_HEADER, properties.getConsumerQueue());
		return attempt;
	}

	/**
	 * Read the body; the event keeps the routing key the broker delivered it with. A body
	 * that is not an event is rejected for dead-lettering at once.
	 */
	private Event decode(String queue, Message message, @Nullable ObserverRegistration observer) {
		MessageProperties properties = message.getMessageProperties();
		try {
			return this.codec.read(message);
		}
		catch (MalformedMessageException ex) {
			if (observer != null) {
				properties.setHeader(DeadLetterRecoverer.OBSERVER_HEADER, observer.key().toString());
			}
			String reason = "Rejected malformed event on queue " + queue + " (routing key "
					+ properties.getReceivedRoutingKey() + ", " + DeadLetterRecoverer.messageName(properties) + "): "
					+ ex.getMessage();
			this.malformed.warn(() -> reason);
			this.listeners.malformed(queue, reason);
			throw new AmqpRejectAndDontRequeueException(reason, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private <T extends EventObserver> @Nullable Object invoke(ObserverType<T> type, EventObserver observer, Event event)
			throws Exception {
		EventHandler<T> handler = this.handlers.get(type);
		if (handler instanceof EventReplyHandler<T> replying) {
			return replying.reply((T) observer, event);
		}
		handler.handle((T) observer, event);
		return null;
	}

	/**
	 * The handler asked for a requeue once more than allowed: dead-letter it, with the
	 * last reason (not as the cause, which the recoverer would requeue again).
	 */
	private EventHandlingException requeueLimit(EventDelivery delivery, MessageProperties properties, int requeues,
			ImmediateRequeueAmqpException ex) {
		markObserver(delivery, properties);
		String text = who(delivery) + " requeued event " + delivery.event().routingKey() + ": still requeued after "
				+ requeues + " requeue(s) (event-listener.requeue.max-requeues): " + ex.getMessage();
		return new EventHandlingException(text, new RequeueLimitException(text), false);
	}

	private static String who(EventDelivery delivery) {
		ObserverRegistration observer = delivery.observer();
		return (observer != null) ? "Handler of observer " + observer.key() : "Handler of queue " + delivery.queue();
	}

	/**
	 * Name the observer in the delivery's headers, for the dead-letter copy should this
	 * delivery end there.
	 */
	private static void markObserver(EventDelivery delivery, MessageProperties properties) {
		ObserverRegistration observer = delivery.observer();
		if (observer != null) {
			properties.setHeader(DeadLetterRecoverer.OBSERVER_HEADER, observer.key().toString());
		}
	}

	private EventHandlingException failure(EventDelivery delivery, MessageProperties properties, int attempt,
			Exception ex) {
		ObserverRegistration observer = delivery.observer();
		String who = (observer != null) ? "Handler of observer " + observer.key() : "Handler of queue";
		markObserver(delivery, properties);
		Event event = delivery.event();
		boolean retry = this.exceptionHandlers.retry(new EventFailure(delivery.queue(),
				(observer != null) ? observer.observer() : null, event, attempt, ex));
		String text = who + " (queue " + delivery.queue() + ") failed on event " + event.routingKey() + ", attempt "
				+ attempt + ": " + ex;
		logger.warn(text);
		this.errorBudget.record(ex);
		return new EventHandlingException(text, ex, retry);
	}

	/**
	 * A handler call.
	 */
	@FunctionalInterface
	private interface Handling {

		/**
		 * Run the handler.
		 * @return a reply handler's answer, or {@code null}
		 */
		@Nullable Object run() throws Exception;

	}

}
