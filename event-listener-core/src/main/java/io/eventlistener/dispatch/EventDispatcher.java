package io.eventlistener.dispatch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.eventlistener.Event;
import io.eventlistener.EventFilter;
import io.eventlistener.EventHandler;
import io.eventlistener.EventObserver;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.EventQueueReplyHandler;
import io.eventlistener.EventReplyHandler;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.inbox.InboxKey;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.logging.LogSanitizer;
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
 * Returning normally lets the consumer acknowledge the delivery. A body that is not an
 * event is rejected for dead-lettering at once (it could never succeed); the event a
 * handler sees carries the routing key the broker delivered it with. A delivery for a
 * queue that has just been unregistered is requeued, so another consumer gets it.
 * <p>
 * What becomes of a handler call that threw (requeued, rejected, an outage, a failure
 * that may or may not be retried) is the {@link FailedDeliveryPolicy}'s decision; the
 * {@link DeliveryPipeline} around this dispatcher retries in place or dead-letters as it
 * says.
 */
public class EventDispatcher implements MessageListener {

	private static final Log logger = LogFactory.getLog(EventDispatcher.class);

	private final ObserverRegistry registry;

	private final ObserverHandlers handlers;

	private final Map<String, EventQueueBinding> eventQueues;

	private final Map<String, EventFilter> eventQueueFilters;

	private final EventCodec codec;

	private final DeliveryListeners listeners;

	private final RateLimitedLog malformed = new RateLimitedLog(logger);

	private final RateLimitedLog returned = new RateLimitedLog(logger);

	private final FailedDeliveryPolicy failures;

	private @Nullable EventReplies replies;

	private @Nullable EventInbox inbox;

	/** What a handling returns when the inbox found the delivery handled already. */
	private static final Object DUPLICATE = new Object();

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
		this.failures = new FailedDeliveryPolicy(exceptionHandlers, errorBudget, listeners, outagePause);
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
	 * Handle each delivery at most once per queue, as far as the database can tell: the
	 * handler runs in a transaction that records the delivery, and one recorded already
	 * is acknowledged unhandled and counted as a duplicate. Without this, every delivery
	 * reaches the handler.
	 * @param inbox the inbox, or {@code null} for none
	 */
	public void setInbox(@Nullable EventInbox inbox) {
		this.inbox = inbox;
	}

	/**
	 * Set how deliveries a handler requeued are tried again.
	 * @param requeueBackOff the back-off and bound; {@link RequeueBackOff#defaults()} by
	 * default
	 */
	public void setRequeueBackOff(RequeueBackOff requeueBackOff) {
		this.failures.setRequeueBackOff(requeueBackOff);
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
						once(message, () -> invoke(observer.type(), observer.observer(), event)));
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
			deliver(delivery, properties, attempt, binding.handler() instanceof EventQueueReplyHandler,
					once(message, () -> {
						if (binding.handler() instanceof EventQueueReplyHandler replying) {
							return replying.reply(event);
						}
						binding.handler().handle(event);
						return null;
					}));
		}
	}

	/**
	 * The handler call through the inbox, when there is one: {@link #DUPLICATE} instead
	 * of the handler's answer when the delivery was handled already.
	 */
	private Handling once(Message message, Handling handling) {
		EventInbox inbox = this.inbox;
		if (inbox == null) {
			return handling;
		}
		InboxKey key = InboxKey.of(message);
		return () -> {
			Object[] reply = new Object[1];
			return inbox.handleOnce(key, () -> reply[0] = handling.run()) ? reply[0] : DUPLICATE;
		};
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
			logger.trace("Filtered out event " + LogSanitizer.sanitize(delivery.event().routingKey()) + " on queue "
					+ delivery.queue() + " (filter: " + filter + ")");
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
		this.failures.awaitNotPaused();
		int requeues = 0;
		while (true) {
			long start = System.nanoTime();
			try {
				Object reply = handling.run();
				if (reply == DUPLICATE) {
					this.listeners.duplicate(delivery);
					return;
				}
				this.listeners.handled(delivery, FailedDeliveryPolicy.since(start));
				if (replies != null) {
					replies.reply(properties, reply);
				}
				return;
			}
			catch (Exception ex) {
				requeues = this.failures.afterFailure(delivery, properties, attempt, replies, ex, start, requeues);
			}
		}
	}

	/**
	 * Count this attempt in the delivery's headers; retries see the same message, and the
	 * dead-letter copy carries the total.
	 */
	private static int nextAttempt(MessageProperties properties) {
		Object previous = properties.getHeader(DeadLetterRecoverer.ATTEMPTS_HEADER);
		// the pipeline removed any the publisher sent: only our own earlier attempts
		// count
		int attempt = (previous instanceof Integer count && count > 0 && count < Integer.MAX_VALUE) ? count + 1 : 1;
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
					+ LogSanitizer.sanitize(properties.getReceivedRoutingKey()) + ", "
					+ DeadLetterRecoverer.messageName(properties) + "): " + LogSanitizer.sanitize(ex.getMessage());
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
