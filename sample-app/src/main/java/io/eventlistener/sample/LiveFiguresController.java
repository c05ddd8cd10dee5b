package io.eventlistener.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.actuate.EventListenerEndpoint.ObserverDescriptor;
import io.eventlistener.actuate.EventListenerEndpoint.ObserverTypeDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /live/observers}: what the live page shows of each subscription beside what
 * the actuator endpoints report: its queue's depth and consumers (the broker's answer to
 * a passive declare), how many events it handled in all and per second over the last
 * {@value #WINDOW_SECONDS} seconds (its deliveries), and how many handler calls failed in
 * this process ({@link HandlerFailures}). The queue is the one the {@code eventlistener}
 * endpoint reports for the subscription, so the sample does not spell queue names itself.
 */
@RestController
class LiveFiguresController {

	static final int WINDOW_SECONDS = 10;

	private final SubscriptionRepository subscriptions;

	private final DeliveryRepository deliveries;

	private final HandlerFailures failures;

	private final AmqpAdmin broker;

	private final ObjectProvider<EventListenerEndpoint> listener;

	private final Clock clock = Clock.systemUTC();

	LiveFiguresController(SubscriptionRepository subscriptions, DeliveryRepository deliveries, HandlerFailures failures,
			AmqpAdmin broker, ObjectProvider<EventListenerEndpoint> listener) {
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.failures = failures;
		this.broker = broker;
		this.listener = listener;
	}

	@GetMapping("/live/observers")
	List<ObserverFigures> observers() {
		Instant since = this.clock.instant().minus(Duration.ofSeconds(WINDOW_SECONDS));
		Map<Long, DeliveryRepository.DeliveryCount> handled = this.deliveries.countBySubscription(since)
			.stream()
			.collect(Collectors.toMap(DeliveryRepository.DeliveryCount::getSubscriptionId, Function.identity()));
		Map<String, String> queues = registeredQueues();
		return this.subscriptions.findAll().stream().map((subscription) -> {
			long id = subscription.getId();
			DeliveryRepository.DeliveryCount count = handled.get(id);
			String queue = queues.get(String.valueOf(id));
			QueueInformation info = (queue != null) ? this.broker.getQueueInfo(queue) : null;
			return new ObserverFigures(id, queue, (info != null) ? info.getMessageCount() : null,
					(info != null) ? info.getConsumerCount() : null, (count != null) ? count.getTotal() : 0,
					(count != null) ? (double) count.getRecent() / WINDOW_SECONDS : 0, this.failures.of(id));
		}).toList();
	}

	/**
	 * The queue of each registered subscription, by id.
	 */
	private Map<String, String> registeredQueues() {
		EventListenerEndpoint endpoint = this.listener.getIfAvailable();
		ObserverTypeDescriptor type = (endpoint != null) ? endpoint.observerType("Subscription") : null;
		return (type != null)
				? type.observers().stream().collect(Collectors.toMap(ObserverDescriptor::id, ObserverDescriptor::queue))
				: Map.of();
	}

	/**
	 * One subscription's figures.
	 *
	 * @param id the subscription
	 * @param queue its queue, {@code null} while it is not registered
	 * @param messages messages ready in its queue, {@code null} without a queue
	 * @param consumers consumers of its queue, {@code null} without a queue
	 * @param handled events handled, in all
	 * @param eventsPerSecond events handled per second over the last
	 * {@value #WINDOW_SECONDS} seconds
	 * @param failures failed handler calls in this process
	 */
	record ObserverFigures(long id, @Nullable String queue, @Nullable Long messages, @Nullable Integer consumers,
			long handled, double eventsPerSecond, long failures) {
	}

}
