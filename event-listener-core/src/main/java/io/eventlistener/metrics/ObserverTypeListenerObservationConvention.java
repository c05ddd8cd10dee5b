package io.eventlistener.metrics;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.registry.ObserverRegistry;
import io.micrometer.common.KeyValues;

import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservation.ListenerHighCardinalityTags;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservation.ListenerLowCardinalityTags;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservationConvention;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageReceiverContext;

/**
 * Spring AMQP's listener observation ({@code spring.rabbit.listener}) for the observer
 * queues' consumers, tagged by observer type rather than by queue. Spring AMQP's default
 * convention puts the queue name ({@code messaging.destination.name}) among the
 * low-cardinality keys, which become meter tags: one timer per observer queue, ten
 * thousand for ten thousand observers. Here the low-cardinality keys are the consumers'
 * listener id and {@value EventListenerMeters#TYPE} (the observer's type, an application
 * queue's own name, or {@value EventListenerMeters#UNKNOWN}); the queue and the delivery
 * tag are high-cardinality keys, so traces keep them and meters never see them.
 */
public class ObserverTypeListenerObservationConvention implements RabbitListenerObservationConvention {

	private final Supplier<ObserverRegistry> registry;

	private final Set<String> applicationQueues;

	/**
	 * Create a new {@code ObserverTypeListenerObservationConvention}.
	 * @param registry knows each observer queue's type
	 * @param eventQueues the application's own queues, which tag by their name
	 */
	public ObserverTypeListenerObservationConvention(ObserverRegistry registry,
			Collection<EventQueueBinding> eventQueues) {
		this(() -> registry, eventQueues.stream().map(EventQueueBinding::queueName).collect(Collectors.toSet()));
	}

	/**
	 * Create a new {@code ObserverTypeListenerObservationConvention}.
	 * @param registry gives the registry that knows each observer queue's type; asked on
	 * each delivery, so it may be a bean that depends on the consumers
	 * @param applicationQueues the application's own queues, which tag by their name
	 */
	public ObserverTypeListenerObservationConvention(Supplier<ObserverRegistry> registry,
			Set<String> applicationQueues) {
		this.registry = registry;
		this.applicationQueues = Set.copyOf(applicationQueues);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(RabbitMessageReceiverContext context) {
		return KeyValues.of(ListenerLowCardinalityTags.LISTENER_ID.asString(), context.getListenerId(),
				EventListenerMeters.TYPE, typeOf(queue(context)));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(RabbitMessageReceiverContext context) {
		return KeyValues.of(ListenerLowCardinalityTags.DESTINATION_NAME.asString(), queue(context),
				ListenerHighCardinalityTags.DELIVERY_TAG.asString(),
				String.valueOf(context.getCarrier().getMessageProperties().getDeliveryTag()));
	}

	@Override
	public String getContextualName(RabbitMessageReceiverContext context) {
		return context.getSource() + " receive";
	}

	private String typeOf(String queue) {
		if (this.applicationQueues.contains(queue)) {
			return queue;
		}
		return this.registry.get()
			.findByQueue(queue)
			.map((registration) -> registration.type().name())
			.orElse(EventListenerMeters.UNKNOWN);
	}

	private static String queue(RabbitMessageReceiverContext context) {
		return Objects.requireNonNullElse(context.getCarrier().getMessageProperties().getConsumerQueue(), "");
	}

}
