package io.eventlistener.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * However many observers there are, the number of meters stays the same: with Spring
 * AMQP's container metrics at their default (on) and with observations switched on, no
 * meter is tagged by an observer's queue.
 */
class BoundedMetersIntegrationTests {

	private static final int OBSERVERS = 50;

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@ParameterizedTest(name = "observations enabled: {0}")
	@ValueSource(booleans = { false, true })
	void noMeterIsTaggedByAnObserverQueue(boolean observations) {
		IntStream.rangeClosed(1, OBSERVERS)
			.forEach((i) -> this.namespace.sql("insert into company (name, active, routing_keys) values ('c" + i
					+ "', true, 'model.User.*.create')"));
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class,
				"event-listener.observation.enabled=" + observations);
		RecordingHandler handler = application.getBean(RecordingHandler.class);

		RawAmqp.publish(this.namespace.eventsExchange(), "model.User.1.create",
				"{\"type\":\"model\",\"action\":\"create\",\"eventful_type\":\"User\",\"eventful_id\":1}"
					.getBytes(StandardCharsets.UTF_8));
		await().atMost(Duration.ofSeconds(60)).until(() -> handler.deliveries().size() == OBSERVERS);

		MeterRegistry meters = application.getBean(MeterRegistry.class);
		String observerQueues = this.namespace.queuePrefix() + ".company.";
		List<String> offending = meters.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getTags().stream().anyMatch((tag) -> names(tag, observerQueues)))
			.map((meter) -> meter.getId().toString())
			.toList();
		assertThat(offending).as("meters tagged by an observer queue").isEmpty();
		assertThat(meters.get(EventListenerMeters.OBSERVERS).tag(EventListenerMeters.TYPE, "Company").gauge().value())
			.isEqualTo(OBSERVERS);
		if (observations) {
			// the observation ran, tagged by observer type
			assertThat(meters.find("spring.rabbit.listener").tag(EventListenerMeters.TYPE, "Company").meters())
				.isNotEmpty();
			// and the publisher's own template is observed too
			application.getBean(EventPublisher.class).publish(Event.builder().type("probe").action("sent").build());
			assertThat(meters.find("spring.rabbit.template")
				.tag("spring.rabbit.template.name", "eventListenerPublisherTemplate")
				.meters()).isNotEmpty();
		}
		assertThat(meters.getMeters()).extracting((Meter meter) -> meter.getId().getName())
			.doesNotContain("spring.rabbitmq.listener");
	}

	private static boolean names(Tag tag, String queuePrefix) {
		return tag.getValue().contains(queuePrefix);
	}

}
