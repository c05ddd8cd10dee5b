package io.eventlistener.dispatch;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.eventlistener.Event;
import io.eventlistener.EventObserver;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import io.eventlistener.wire.MalformedMessageException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;

/**
 * Routes each delivery by the queue it came from: to the registered observer and its
 * type's {@link io.eventlistener.EventHandler}, or to an application's
 * {@link EventQueueBinding}.
 * <p>
 * Returning normally lets the container acknowledge the delivery. A body that is not an
 * event is rejected without requeue (it could never succeed); a handler failure is thrown
 * as an {@link EventHandlingException} for the error policy to decide. A delivery for a
 * queue that has just been unregistered is requeued, so another consumer gets it.
 */
public class EventDispatcher implements MessageListener {

	private static final Log logger = LogFactory.getLog(EventDispatcher.class);

	private final ObserverRegistry registry;

	private final ObserverHandlers handlers;

	private final Map<String, EventQueueBinding> eventQueues;

	private final EventCodec codec;

	public EventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
			Iterable<EventQueueBinding> eventQueues, EventCodec codec) {
		this.registry = registry;
		this.handlers = handlers;
		this.eventQueues = StreamSupport.stream(eventQueues.spliterator(), false)
			.collect(Collectors.toUnmodifiableMap(EventQueueBinding::queueName, Function.identity()));
		this.codec = codec;
	}

	@Override
	public void onMessage(Message message) {
		String queue = message.getMessageProperties().getConsumerQueue();
		Event event = decode(queue, message);
		Optional<ObserverRegistration> registration = this.registry.findByQueue(queue);
		if (registration.isPresent()) {
			handle(registration.get(), event);
			return;
		}
		EventQueueBinding binding = this.eventQueues.get(queue);
		if (binding == null) {
			throw new ImmediateRequeueAmqpException("No observer is registered for queue " + queue);
		}
		try {
			binding.handler().handle(event);
		}
		catch (Exception ex) {
			throw failure("Handler of queue " + queue, event, ex);
		}
	}

	private Event decode(String queue, Message message) {
		try {
			return this.codec.read(message.getBody());
		}
		catch (MalformedMessageException ex) {
			String reason = "Rejected malformed event on queue " + queue + " (routing key "
					+ message.getMessageProperties().getReceivedRoutingKey() + ", message id "
					+ message.getMessageProperties().getMessageId() + "): " + ex.getMessage();
			logger.warn(reason);
			throw new AmqpRejectAndDontRequeueException(reason, ex);
		}
	}

	private void handle(ObserverRegistration registration, Event event) {
		try {
			invoke(registration.type(), registration.observer(), event);
		}
		catch (Exception ex) {
			throw failure("Handler of observer " + registration.key() + " (queue " + registration.queueName() + ")",
					event, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private <T extends EventObserver> void invoke(ObserverType<T> type, EventObserver observer, Event event)
			throws Exception {
		this.handlers.get(type).handle((T) observer, event);
	}

	private static EventHandlingException failure(String who, Event event, Exception ex) {
		String text = who + " failed on event " + event.routingKey() + ": " + ex;
		logger.warn(text);
		return new EventHandlingException(text, ex);
	}

}
