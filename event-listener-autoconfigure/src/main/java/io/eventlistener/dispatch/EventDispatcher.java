package io.eventlistener.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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

	private final List<DeliveryListener> listeners;

	public EventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
			Iterable<EventQueueBinding> eventQueues, EventCodec codec) {
		this(registry, handlers, eventQueues, codec, List.of());
	}

	/**
	 * @param registry finds the observer of a queue
	 * @param handlers the handler of each observer type
	 * @param eventQueues the application's own queues
	 * @param codec reads event bodies
	 * @param listeners hear about every handled, failed and malformed delivery
	 */
	public EventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
			Iterable<EventQueueBinding> eventQueues, EventCodec codec, List<DeliveryListener> listeners) {
		this.listeners = List.copyOf(listeners);
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
		EventDelivery delivery = new EventDelivery(queue, null, event);
		long start = System.nanoTime();
		try {
			binding.handler().handle(event);
		}
		catch (Exception ex) {
			notifyListeners((listener) -> listener.failed(delivery, since(start), ex));
			throw failure("Handler of queue " + queue, event, ex);
		}
		notifyListeners((listener) -> listener.handled(delivery, since(start)));
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
			notifyListeners((listener) -> listener.malformed(queue, reason));
			throw new AmqpRejectAndDontRequeueException(reason, ex);
		}
	}

	private void handle(ObserverRegistration registration, Event event) {
		EventDelivery delivery = new EventDelivery(registration.queueName(), registration, event);
		long start = System.nanoTime();
		try {
			invoke(registration.type(), registration.observer(), event);
		}
		catch (Exception ex) {
			notifyListeners((listener) -> listener.failed(delivery, since(start), ex));
			throw failure("Handler of observer " + registration.key() + " (queue " + registration.queueName() + ")",
					event, ex);
		}
		notifyListeners((listener) -> listener.handled(delivery, since(start)));
	}

	private void notifyListeners(Consumer<DeliveryListener> notification) {
		for (DeliveryListener listener : this.listeners) {
			try {
				notification.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("DeliveryListener " + listener + " failed; the delivery is not affected", ex);
			}
		}
	}

	private static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
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
