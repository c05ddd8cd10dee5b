package io.eventlistener.test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.eventlistener.Event;
import io.eventlistener.EventObserver;
import io.eventlistener.EventPublisher;
import io.eventlistener.dispatch.DeliveryListener;
import io.eventlistener.dispatch.EventDelivery;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.ObserverRegistration;
import org.jspecify.annotations.Nullable;

/**
 * Lets an application's test publish an event and wait until a given observer handled it,
 * and see every event the application published and every delivery its handlers returned
 * from. Get it with {@link AutoConfigureEventListenerTester} and {@code @Autowired}:
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureEventListenerTester
 * class BillingTests {
 *
 *     &#64;Autowired EventListenerTester events;
 *
 *     &#64;Test
 *     void invoiceCreatedReachesTheSubscription() {
 *         Event handled = this.events.publishAndAwait(
 *             Event.builder().eventful("Invoice", 7).action("create").build(), Subscription.class, subscriptionId);
 *         assertThat(handled.eventfulId()).isEqualTo("7");
 *     }
 * }
 * </pre>
 *
 * Waiting fails after {@link #DEFAULT_TIMEOUT} (see {@link #withTimeout}) with a message
 * that lists what was handled meanwhile. Captures are cleared before each test.
 */
public class EventListenerTester implements DeliveryListener {

	/** How long the await methods wait by default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private final EventPublisher publisher;

	private final ObserverTypes types;

	private final Recording<Event> published;

	private final Recording<HandledEvent> handled;

	private final Duration timeout;

	/**
	 * Create a new {@code EventListenerTester}.
	 * @param publisher publishes the test's events (the application's publisher)
	 * @param types the observer types, to name observers by their entity class
	 * @param published where the application's published events are recorded
	 */
	public EventListenerTester(EventPublisher publisher, ObserverTypes types, Recording<Event> published) {
		this(publisher, types, published, new Recording<>(), DEFAULT_TIMEOUT);
	}

	private EventListenerTester(EventPublisher publisher, ObserverTypes types, Recording<Event> published,
			Recording<HandledEvent> handled, Duration timeout) {
		this.publisher = publisher;
		this.types = types;
		this.published = published;
		this.handled = handled;
		this.timeout = timeout;
	}

	/**
	 * A tester that waits for another duration, over the same recordings.
	 * @param timeout how long the await methods wait
	 * @return the tester
	 */
	public EventListenerTester withTimeout(Duration timeout) {
		return new EventListenerTester(this.publisher, this.types, this.published, this.handled, timeout);
	}

	/**
	 * Publish an event and wait until the observer handled it.
	 * @param event the event
	 * @param observerType the observer entity class
	 * @param id the observer row's id
	 * @return the event as the handler received it
	 * @throws AssertionError if the observer did not handle it in time
	 */
	public Event publishAndAwait(Event event, Class<? extends EventObserver> observerType, Object id) {
		ObserverKey observer = key(observerType, id);
		this.publisher.publish(event);
		return awaitHandled(observer, (received) -> sameEvent(event, received)).event();
	}

	/**
	 * Wait until the observer handled an event that matches, since the last reset.
	 * @param observerType the observer entity class
	 * @param id the observer row's id
	 * @param matching which event
	 * @return the handled event
	 */
	public HandledEvent awaitHandled(Class<? extends EventObserver> observerType, Object id,
			Predicate<Event> matching) {
		return awaitHandled(key(observerType, id), matching);
	}

	/**
	 * Wait until the queue's handler (an observer's or an application queue's) handled an
	 * event that matches, since the last reset.
	 * @param queue the queue name
	 * @param matching which event
	 * @return the handled event
	 */
	public HandledEvent awaitHandledOnQueue(String queue, Predicate<Event> matching) {
		return this.handled.await((handled) -> handled.queue().equals(queue) && matching.test(handled.event()),
				this.timeout, "matching event handled on queue " + queue);
	}

	/**
	 * The events the application published since the last reset, in order.
	 * @return the events
	 */
	public List<Event> published() {
		return this.published.items();
	}

	/**
	 * Wait until the application published an event that matches.
	 * @param matching which event
	 * @return the event
	 */
	public Event awaitPublished(Predicate<Event> matching) {
		return this.published.await(matching, this.timeout, "matching event published");
	}

	/**
	 * The deliveries handlers returned from since the last reset, in order.
	 * @return the handled events
	 */
	public List<HandledEvent> handled() {
		return this.handled.items();
	}

	/**
	 * Forget what was published and handled so far.
	 */
	public void reset() {
		this.handled.clear();
		this.published.clear();
	}

	@Override
	public void handled(EventDelivery delivery, Duration duration) {
		ObserverRegistration observer = delivery.observer();
		this.handled
			.add(new HandledEvent(delivery.queue(), (observer != null) ? observer.key() : null, delivery.event()));
	}

	private HandledEvent awaitHandled(ObserverKey observer, Predicate<Event> matching) {
		return this.handled.await((handled) -> observer.equals(handled.observer()) && matching.test(handled.event()),
				this.timeout, "matching event handled by observer " + observer);
	}

	private ObserverKey key(Class<? extends EventObserver> observerType, Object id) {
		return this.types.all()
			.stream()
			.filter((type) -> type.javaType().equals(observerType))
			.findFirst()
			.map((ObserverType<?> type) -> type.key(id))
			.orElseThrow(() -> new IllegalArgumentException(observerType.getName()
					+ " is not an observer type of this application; observer types are " + this.types.all()));
	}

	/**
	 * Whether a received event is the one published: the routing key, the time (the wire
	 * keeps milliseconds) and the parameters agree.
	 */
	static boolean sameEvent(Event sent, Event received) {
		return sent.routingKey().equals(received.routingKey()) && Objects.equals(truncate(sent), received.occurredAt())
				&& sent.parameters().equals(received.parameters());
	}

	private static @Nullable Instant truncate(Event event) {
		return (event.occurredAt() != null) ? event.occurredAt().truncatedTo(ChronoUnit.MILLIS) : null;
	}

}
