package io.eventlistener.batch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.rabbitmq.client.AMQP;
import io.eventlistener.EventBatchHandler;
import io.eventlistener.it.Company;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EventBatchHandler} on the real broker with the multiplexed consumers: batches of
 * at most {@code event-listener.batch.size}, each delivery acknowledged once its batch
 * returned, a failed batch handled event by event (the poison one retried, then
 * dead-lettered), a partial batch handed over at the timeout; and refused in the
 * container mode.
 */
class EventBatchHandlerIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void eventsAreHandledInBatchesOfAtMostTheSizeAndEachIsAcknowledgedOnce() {
		String queue = observerQueue();
		BatchTestApplication.Batches batches = start("event-listener.batch.timeout=2s");
		publish(1, 250);
		await().atMost(Duration.ofMinutes(1)).until(() -> batches.distinct.size() == 250);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(this.namespace.broker().queue(queue).orElseThrow().messages()).isZero());
		assertThat(batches.sizes).allMatch((size) -> size <= 100);
		assertThat(batches.sizes).anyMatch((size) -> size > 1);
		assertThat(batches.handled).as("nothing handled twice").hasSize(250);
	}

	@Test
	void aFailedBatchIsHandledEventByEventAndOnlyThePoisonIsDeadLettered() {
		String queue = observerQueue();
		ConfigurableApplicationContext application = this.namespace.start(BatchTestApplication.class,
				"event-listener.batch.timeout=1s", "batch-test.poison=7", "event-listener.retry.max-attempts=2",
				"event-listener.retry.initial-interval=50ms");
		BatchTestApplication.Batches batches = application.getBean(BatchTestApplication.Batches.class);
		publish(1, 10);
		await().atMost(Duration.ofMinutes(1)).until(() -> batches.distinct.size() == 9);
		Message deadLetter = application.getBean(RabbitTemplate.class)
			.receive(this.namespace.queuePrefix() + ".dead-letter", 30_000);
		assertThat(deadLetter).isNotNull();
		assertThat(new String(deadLetter.getBody(), StandardCharsets.UTF_8)).contains("\"seq\":7");
		assertThat(batches.distinct).doesNotContain(7).hasSize(9);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(this.namespace.broker().queue(queue).orElseThrow().messages()).isZero());
		// the failed batch, then each of its events alone, the poison one twice (its
		// retry)
		assertThat(batches.sizes.get(0)).isGreaterThan(1);
		assertThat(batches.sizes.subList(1, batches.sizes.size())).allMatch((size) -> size == 1);
	}

	@Test
	void thePartialBatchIsHandedOverAtTheTimeout() {
		String queue = observerQueue();
		BatchTestApplication.Batches batches = start("event-listener.batch.timeout=300ms");
		publish(1, 3);
		await().atMost(Duration.ofSeconds(30)).until(() -> batches.distinct.size() == 3);
		assertThat(batches.handled).hasSize(3);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(this.namespace.broker().queue(queue).orElseThrow().messages()).isZero());
	}

	@Test
	void withTheInboxACopyOfAHandledEventIsLeftOutOfItsBatchAndCounted() {
		String queue = observerQueue();
		ConfigurableApplicationContext application = this.namespace.start(BatchTestApplication.class,
				"event-listener.batch.timeout=300ms", "event-listener.inbox.enabled=true");
		BatchTestApplication.Batches batches = application.getBean(BatchTestApplication.Batches.class);
		// each event twice under its message id, as a publisher's retry sends it: in the
		// same batch or a later one
		for (int copy = 0; copy < 2; copy++) {
			for (int seq = 1; seq <= 10; seq++) {
				RawAmqp.publish(this.namespace.eventsExchange(), "model.User." + seq + ".create",
						("{\"type\":\"model\",\"eventful_type\":\"User\",\"eventful_id\":" + seq
								+ ",\"action\":\"create\",\"parameters\":{\"seq\":" + seq + "}}")
							.getBytes(StandardCharsets.UTF_8),
						new AMQP.BasicProperties.Builder().messageId("event-" + seq).build());
			}
		}
		MeterRegistry meters = application.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> meters.find(EventListenerMeters.EVENTS)
				.tag(EventListenerMeters.OUTCOME, EventListenerMeters.DUPLICATE)
				.counters()
				.stream()
				.mapToDouble(Counter::count)
				.sum() == 10);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(this.namespace.broker().queue(queue).orElseThrow().messages()).isZero());
		assertThat(batches.handled).as("handled, each once").hasSize(10);
		assertThat(batches.distinct).hasSize(10);
		assertThat(this.namespace.queryForLong("select count(*) from event_listener_inbox")).isEqualTo(10);
	}

	private String observerQueue() {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('b', true, 'model.User.*.create')");
		long id = this.namespace.queryForLong("select id from company where name = 'b'");
		return this.namespace.queuePrefix() + ".company." + id;
	}

	private BatchTestApplication.Batches start(String... settings) {
		return this.namespace.start(BatchTestApplication.class, settings).getBean(BatchTestApplication.Batches.class);
	}

	private void publish(int from, int to) {
		try (RawAmqp.Publisher publisher = RawAmqp.publisher()) {
			for (int seq = from; seq <= to; seq++) {
				// isimud's exact bytes: no content type, no message id
				publisher.publish(this.namespace.eventsExchange(), "model.User." + seq + ".create",
						("{\"type\":\"model\",\"eventful_type\":\"User\",\"eventful_id\":" + seq
								+ ",\"action\":\"create\",\"parameters\":{\"seq\":" + seq + "}}")
							.getBytes(StandardCharsets.UTF_8),
						false);
			}
		}
	}

}
