package io.eventlistener.it;

import java.time.Duration;
import java.util.List;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.outbox.OutboxRepository;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.AmqpAlarmProxy;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A resource alarm blocks the application's publishing connection while an observer is
 * created: its model-watcher message waits in the outbox, and is sent as soon as the
 * broker unblocks, not after the relay's retry interval (30 s by default), so the new
 * observer is consumed within {@link #AFTER_UNBLOCK} of the alarm's end.
 */
class OutboxAfterAlarmIntegrationTests {

	private static final Duration AFTER_UNBLOCK = Duration.ofSeconds(2);

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private final AmqpAlarmProxy rabbit = new AmqpAlarmProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);

	@AfterEach
	void stop() {
		this.namespace.close();
		this.rabbit.close();
	}

	@Test
	void aWatcherMessageHeldDuringAnAlarmIsSentWhenTheBrokerUnblocks() {
		// the relay's own retry interval stays at its default, 30 s
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class,
				"spring.rabbitmq.port=" + this.rabbit.port(), "event-listener.publisher.confirm-timeout=500ms");
		OutboxRepository outbox = application.getBean(OutboxRepository.class);
		ObserverRegistry registry = application.getBean(ObserverRegistry.class);

		this.rabbit.raiseAlarm("low on memory (outbox test)");
		// the broker blocks a connection when it next publishes: once blocked, the
		// model-watcher message below is refused at once and kept, as it is when the
		// alarm was already on
		catchThrowable(() -> application.getBean(EventPublisher.class)
			.publish(Event.builder().type("alarm").action("probe").build()));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> application.getBean(EventPublishingAssembly.class).sender().blocking().current().isPresent());
		Company company = application.getBean(CompanyRepository.class)
			.save(new Company("during-alarm", true, List.of("alarm.#")));
		ObserverKey key = new ObserverKey("Company", String.valueOf(company.getId()));
		assertThat(outbox.count()).as("model-watcher messages waiting in the outbox").isEqualTo(1);
		assertThat(registry.find(key)).as("registered before the alarm ends").isEmpty();

		this.rabbit.clearAlarm();
		long unblocked = System.nanoTime();
		await().atMost(Duration.ofSeconds(30)).until(() -> registry.find(key).isPresent());
		Duration took = Duration.ofNanos(System.nanoTime() - unblocked);
		System.out.println("outbox after an alarm | observer registered " + took.toMillis()
				+ " ms after the broker unblocked (retry interval 30 s)");
		assertThat(took).as("registered after the unblock").isLessThan(AFTER_UNBLOCK);
		await().atMost(Duration.ofSeconds(10)).until(() -> outbox.count() == 0);
	}

}
