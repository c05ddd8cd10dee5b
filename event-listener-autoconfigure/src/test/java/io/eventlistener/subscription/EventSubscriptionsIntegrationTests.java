package io.eventlistener.subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.eventlistener.Event;
import io.eventlistener.EventSubscription;
import io.eventlistener.EventSubscription.Reason;
import io.eventlistener.EventSubscriptions;
import io.eventlistener.it.Company;
import io.eventlistener.it.ObserverTestApplication;
import io.eventlistener.it.RecordingHandler;
import io.eventlistener.metrics.EventSubscriptionMetrics;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * In-process subscriptions against the real broker, fed by a raw client publishing
 * isimud's exact bytes, beside an observer entity that must never wait for them.
 */
class EventSubscriptionsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int BUFFER = 5;

	private static TestNamespace namespace;

	private static ConfigurableApplicationContext application;

	private static long observer;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(Company.DDL);
		namespace.sql("insert into company (name, active, routing_keys) values ('c', true, 'model.Invoice.#')");
		observer = namespace.queryForLong("select id from company where name = 'c'");
		application = namespace.start(ObserverTestApplication.class,
				"event-listener.subscriptions.buffer-size=" + BUFFER);
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void aSubscriptionOpenedAtRunTimeReceivesIsimudsBytesForItsKeysOnly() throws InterruptedException {
		try (EventSubscription subscription = subscriptions().subscribe("model.Order.#")) {
			assertThat(namespace.broker().bindings(queueName(), namespace.eventsExchange())).contains("model.Order.#");
			RawAmqp.publish(namespace.eventsExchange(), "model.User.42.create", isimud("User", 42));
			RawAmqp.publish(namespace.eventsExchange(), "model.Order.42.create", isimud("Order", 42));
			Event event = subscription.poll(WAIT);
			assertThat(event.routingKey()).isEqualTo("model.Order.42.create");
			assertThat(event.eventfulType()).isEqualTo("Order");
			assertThat(event.userId()).isEqualTo("7");
			assertThat(subscription.poll(Duration.ZERO)).isNull();
		}
	}

	@Test
	void closingUnbindsAKeyNoOtherSubscriptionUses() {
		EventSubscription first = subscriptions().subscribe("model.Shared.#", "model.Only.#");
		EventSubscription second = subscriptions().subscribe("model.Shared.#");
		first.close();
		assertThat(first.end().reason()).isEqualTo(Reason.CLOSED);
		assertThat(first.iterator().hasNext()).isFalse();
		assertThat(namespace.broker().bindings(queueName(), namespace.eventsExchange())).contains("model.Shared.#")
			.doesNotContain("model.Only.#");
		second.close();
		assertThat(namespace.broker().bindings(queueName(), namespace.eventsExchange()))
			.doesNotContain("model.Shared.#");
		assertThat(subscriptions().openSubscriptions()).doesNotContain(first, second);
	}

	@Test
	void thePublisherGetsNoMoreThanItRequested() {
		try (EventSubscription requested = subscriptions().subscribe("model.Paged.#");
				EventSubscription everything = subscriptions().subscribe("model.Paged.#")) {
			RecordingSubscriber recorder = new RecordingSubscriber(requested);
			requested.publisher().subscribe(recorder);
			recorder.request(2);
			for (int i = 1; i <= 4; i++) {
				RawAmqp.publish(namespace.eventsExchange(), "model.Paged." + i + ".create", isimud("Paged", i));
			}
			List<Event> all = new ArrayList<>();
			everything.iterator().forEachRemaining((event) -> {
				all.add(event);
				if (all.size() == 4) {
					everything.close();
				}
			});
			// the fourth reached every matching buffer in the same delivery
			await().atMost(WAIT).until(() -> recorder.events.size() == 2);
			assertThat(recorder.events).extracting(Event::eventfulId).containsExactly("1", "2");
			recorder.request(2);
			await().atMost(WAIT).until(() -> recorder.events.size() == 4);
			assertThat(recorder.events).extracting(Event::eventfulId).containsExactly("1", "2", "3", "4");
		}
	}

	@Test
	void aSubscriberThatDoesNotReadDropsItsOldestAndHoldsUpNeitherOthersNorObservers() throws InterruptedException {
		RecordingHandler observers = application.getBean(RecordingHandler.class);
		double droppedBefore = meters().get(EventSubscriptionMetrics.DROPPED)
			.tag("reason", "overflow")
			.functionCounter()
			.count();
		try (EventSubscription stalled = subscriptions().subscribe("model.Invoice.#");
				EventSubscription reader = subscriptions().subscribe("model.Invoice.#")) {
			int events = BUFFER * 4;
			List<String> read = new ArrayList<>();
			for (int i = 1; i <= events; i++) {
				RawAmqp.publish(namespace.eventsExchange(), "model.Invoice." + i + ".update", isimud("Invoice", i));
				// a reader that keeps up gets every one, while the other reads nothing
				read.add(reader.poll(WAIT).eventfulId());
			}
			assertThat(read).hasSize(events).endsWith(String.valueOf(events));
			await().atMost(WAIT)
				.until(() -> observers.routingKeysFor(observer).contains("model.Invoice." + events + ".update"));
			assertThat(stalled.dropped()).isEqualTo(events - BUFFER);
			assertThat(
					meters().get(EventSubscriptionMetrics.DROPPED).tag("reason", "overflow").functionCounter().count())
				.isEqualTo(droppedBefore + events - BUFFER);
			// drop-oldest: the newest are kept
			assertThat(stalled.poll(WAIT).eventfulId()).isEqualTo(String.valueOf(events - BUFFER + 1));
			assertThat(stalled.end()).isNull();
		}
	}

	@Test
	void aMessageThatIsNotAnEventIsCountedAndSkipped() throws InterruptedException {
		double malformedBefore = meters().get(EventSubscriptionMetrics.DROPPED)
			.tag("reason", "malformed")
			.functionCounter()
			.count();
		try (EventSubscription subscription = subscriptions().subscribe("model.Bad.#")) {
			RawAmqp.publish(namespace.eventsExchange(), "model.Bad.1.create",
					"{\"foo\":1}".getBytes(StandardCharsets.UTF_8));
			RawAmqp.publish(namespace.eventsExchange(), "model.Bad.2.create", isimud("Bad", 2));
			assertThat(subscription.poll(WAIT).eventfulId()).isEqualTo("2");
			assertThat(
					meters().get(EventSubscriptionMetrics.DROPPED).tag("reason", "malformed").functionCounter().count())
				.isEqualTo(malformedBefore + 1);
		}
	}

	@Test
	void theOpenSubscriptionsAreAGauge() {
		double before = meters().get(EventSubscriptionMetrics.OPEN).gauge().value();
		try (EventSubscription subscription = subscriptions().subscribe("model.Gauge.#")) {
			assertThat(meters().get(EventSubscriptionMetrics.OPEN).gauge().value()).isEqualTo(before + 1);
		}
		assertThat(meters().get(EventSubscriptionMetrics.OPEN).gauge().value()).isEqualTo(before);
	}

	@Test
	void eventsFlowAgainAfterTheBrokerClosesTheConnection() {
		try (EventSubscription subscription = subscriptions().subscribe("model.Reconnect.#")) {
			String queue = queueName();
			// the management API lists a new connection after its next statistics round
			await().atMost(WAIT).until(() -> namespace.broker().closeConnections(namespace.queuePrefix() + "-app") > 0);
			// the exclusive queue went with the connection; the reconnect declares it
			// again
			await().atMost(WAIT).until(() -> {
				RawAmqp.publish(namespace.eventsExchange(), "model.Reconnect.1.create", isimud("Reconnect", 1));
				return subscription.poll(Duration.ofMillis(200)) != null;
			});
			assertThat(namespace.broker().bindings(queue, namespace.eventsExchange())).contains("model.Reconnect.#");
			assertThat(subscription.end()).isNull();
		}
	}

	@Test
	void atShutdownEveryOpenSubscriptionGetsTheShutdownSignalAfterItsEventsAndCompletes() throws Exception {
		ConfigurableApplicationContext second = namespace.start(ObserverTestApplication.class);
		EventSubscriptions subscriptions = second.getBean(EventSubscriptions.class);
		EventSubscription iterated = subscriptions.subscribe("model.Shutdown.#");
		EventSubscription published = subscriptions.subscribe("model.Shutdown.#");
		RecordingSubscriber recorder = new RecordingSubscriber(published);
		published.publisher().subscribe(recorder);
		recorder.request(Long.MAX_VALUE);
		CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
			List<String> ids = new ArrayList<>();
			iterated.forEach((event) -> ids.add(event.eventfulId()));
			return ids;
		});
		RawAmqp.publish(namespace.eventsExchange(), "model.Shutdown.1.create", isimud("Shutdown", 1));
		await().atMost(WAIT).until(() -> recorder.events.size() == 1);
		second.close();
		assertThat(read.get()).containsExactly("1");
		assertThat(iterated.end().reason()).isEqualTo(Reason.SHUTDOWN);
		await().atMost(WAIT).until(() -> recorder.completedWith.get() != null);
		assertThat(recorder.completedWith.get()).isEqualTo(Reason.SHUTDOWN);
		assertThatIllegalStateException().isThrownBy(() -> subscriptions.subscribe("model.#"))
			.withMessageContaining("shutting down");
	}

	private static EventSubscriptions subscriptions() {
		return application.getBean(EventSubscriptions.class);
	}

	private static String queueName() {
		return application.getBean(BrokerEventSubscriptions.class).queueName();
	}

	private static MeterRegistry meters() {
		return application.getBean(MeterRegistry.class);
	}

	/** An event body byte for byte as isimud 1.4 writes it. */
	private static byte[] isimud(String type, int id) {
		return ("{\"type\":\"model\",\"action\":\"create\",\"user_id\":7,\"occurred_at\":\"2016-03-01T12:34:56.789Z\","
				+ "\"eventful_type\":\"" + type + "\",\"eventful_id\":" + id + ",\"session_id\":\"f81d4fae7dec11d0\","
				+ "\"parameters\":{\"id\":" + id + "},\"attributes\":null}")
			.getBytes(StandardCharsets.UTF_8);
	}

}
