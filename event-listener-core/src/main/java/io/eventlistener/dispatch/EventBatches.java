package io.eventlistener.dispatch;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.eventlistener.Event;
import io.eventlistener.EventBatchHandler;
import io.eventlistener.EventObserver;
import io.eventlistener.ObservedEvent;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.inbox.InboxKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.tracing.BatchTracing;
import io.eventlistener.wire.EventCodec;
import io.eventlistener.wire.MalformedMessageException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Batches the deliveries of the observer types whose handler is an
 * {@link EventBatchHandler}, by observer type. A delivery that is not an event, or that
 * the handler's filter does not want, is left to the ordinary path
 * ({@link EventDispatcher}), which rejects or filters it as it would any other. A batch
 * is handled in a span of its own that links its events' traces ({@link BatchTracing}),
 * when tracing is on.
 */
public final class EventBatches implements MultiplexedConsumers.Batching {

	private final Supplier<ObserverRegistry> registry;

	private final Supplier<ObserverHandlers> handlers;

	private final EventCodec codec;

	private BatchTracing tracing = BatchTracing.NONE;

	private @Nullable EventInbox inbox;

	private Supplier<DeliveryListeners> listeners = () -> new DeliveryListeners(List.of());

	/**
	 * Create a new {@code EventBatches}.
	 * @param registry gives the registry that knows each queue's observer
	 * @param handlers gives the handler of each observer type
	 * @param codec reads events
	 */
	public EventBatches(Supplier<ObserverRegistry> registry, Supplier<ObserverHandlers> handlers, EventCodec codec) {
		this.registry = registry;
		this.handlers = handlers;
		this.codec = codec;
	}

	/**
	 * Set the span a batch is handled in. Defaults to none ({@link BatchTracing#NONE}).
	 * @param tracing makes a batch's span
	 */
	public void setTracing(BatchTracing tracing) {
		this.tracing = tracing;
	}

	/**
	 * Leave out of each batch the deliveries the inbox recorded as handled: the others
	 * are recorded and handled in one transaction, and the duplicates acknowledged and
	 * counted.
	 * @param inbox the inbox, or {@code null} for none
	 * @param listeners gives the listeners that hear about each duplicate
	 */
	public void setInbox(@Nullable EventInbox inbox, Supplier<DeliveryListeners> listeners) {
		this.inbox = inbox;
		this.listeners = listeners;
	}

	@Override
	public @Nullable Object batchOf(Message message) {
		MessageProperties properties = message.getMessageProperties();
		Optional<ObserverRegistration> registration = this.registry.get().findByQueue(properties.getConsumerQueue());
		if (registration.isEmpty()) {
			return null;
		}
		ObserverType<?> type = registration.get().type();
		ObserverHandlers handlers = this.handlers.get();
		if (!(handlers.get(type) instanceof EventBatchHandler<?>)) {
			return null;
		}
		try {
			Event event = this.codec.read(message);
			return handlers.filter(type).matches(event, properties.getAppId()) ? type : null;
		}
		catch (MalformedMessageException ex) {
			return null;
		}
	}

	@Override
	public void handle(Object key, List<Message> batch) throws Exception {
		handle((ObserverType<?>) key, batch);
	}

	@SuppressWarnings("unchecked")
	private <T extends EventObserver> void handle(ObserverType<T> type, List<Message> batch) throws Exception {
		List<EventDelivery> deliveries = new ArrayList<>(batch.size());
		Map<EventDelivery, Message> messages = new IdentityHashMap<>();
		for (Message message : batch) {
			String queue = message.getMessageProperties().getConsumerQueue();
			ObserverRegistration registration = this.registry.get()
				.findByQueue(queue)
				.orElseThrow(() -> new IllegalStateException("No observer is registered for queue " + queue));
			EventDelivery delivery = new EventDelivery(queue, registration, this.codec.read(message));
			deliveries.add(delivery);
			messages.put(delivery, message);
		}
		EventBatchHandler<T> handler = (EventBatchHandler<T>) this.handlers.get().get(type);
		this.tracing.trace(type.name(), batch, () -> handleOnce(handler, deliveries, messages));
	}

	private <T extends EventObserver> void handleOnce(EventBatchHandler<T> handler, List<EventDelivery> deliveries,
			Map<EventDelivery, Message> messages) throws Exception {
		EventInbox inbox = this.inbox;
		if (inbox == null) {
			handler.handle(observed(deliveries));
			return;
		}
		List<EventDelivery> duplicates = inbox.handleOnce(deliveries, (delivery) -> InboxKey.of(messages.get(delivery)),
				(fresh) -> handler.handle(observed(fresh)));
		DeliveryListeners listeners = this.listeners.get();
		duplicates.forEach(listeners::duplicate);
	}

	@SuppressWarnings("unchecked")
	private static <T extends EventObserver> List<ObservedEvent<T>> observed(List<EventDelivery> deliveries) {
		List<ObservedEvent<T>> events = new ArrayList<>(deliveries.size());
		for (EventDelivery delivery : deliveries) {
			ObserverRegistration registration = Objects.requireNonNull(delivery.observer());
			events.add(new ObservedEvent<>((T) registration.observer(), delivery.event()));
		}
		return events;
	}

}
