package io.eventlistener.sample;

import java.time.Duration;
import java.util.List;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.test.AutoConfigureEventListenerTester;
import io.eventlistener.test.EventListenerTester;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The way an application tests its own handlers with {@link EventListenerTester}: publish
 * an event, wait until the subscription handled it, check what the handler did; and see
 * what the application published.
 */
@SpringBootTest
@AutoConfigureEventListenerTester
class SubscriptionEventsTesterTests {

	@Autowired
	private EventListenerTester events;

	@Autowired
	private SubscriptionRepository subscriptions;

	@Autowired
	private DeliveryRepository deliveries;

	@Autowired
	private EventPublisher publisher;

	@Autowired
	private ObserverRegistry registry;

	@Test
	void handledEventIsRecordedAsADelivery() {
		long id = liveSubscription("model.Invoice.*.create");

		Event handled = this.events.publishAndAwait(Event.builder().eventful("Invoice", 7).action("create").build(),
				Subscription.class, id);

		assertThat(handled.eventfulId()).isEqualTo("7");
		assertThat(this.deliveries.findBySubscriptionIdOrderById(id)).singleElement()
			.satisfies((delivery) -> assertThat(delivery.getRoutingKey()).isEqualTo("model.Invoice.7.create"));
		assertThat(this.events.handled()).anySatisfy((event) -> assertThat(event.observer().id()).isEqualTo("" + id));
	}

	@Test
	void capturesWhatTheApplicationPublished() {
		this.publisher.publish(Event.builder().eventful("Order", 3).action("ship").build());
		assertThat(this.events.published()).singleElement()
			.satisfies((event) -> assertThat(event.routingKey()).isEqualTo("model.Order.3.ship"));
	}

	@Test
	void awaitingAnEventThatNeverComesFailsWithWhatWasHandled() {
		long id = liveSubscription("model.Nothing.#");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.events.withTimeout(Duration.ofMillis(300))
				.publishAndAwait(Event.builder().eventful("Other", 1).action("x").build(), Subscription.class, id))
			.withMessageContaining("Subscription#" + id);
	}

	private long liveSubscription(String routingKey) {
		Subscription subscription = this.subscriptions.save(new Subscription("tested", List.of(routingKey)));
		long id = subscription.getId();
		// with the model watcher, saving is all it takes
		await().atMost(Duration.ofSeconds(30)).until(() -> isRegistered(id));
		return id;
	}

	private boolean isRegistered(long id) {
		return this.registry.find(new ObserverKey("Subscription", String.valueOf(id))).isPresent();
	}

}
