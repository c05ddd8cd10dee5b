package io.eventlistener.it;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over the error limit the listener stops consuming; by default liveness is then BROKEN,
 * in exit mode the process ends with a non-zero status. Events that arrive afterwards
 * wait in their queues.
 */
class ErrorBudgetIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void stopModeStopsConsumingAndKeepsLaterEventsQueued() {
		long observer = insertObserver();
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class,
				"event-listener.error.limit=3", "event-listener.retry.mode=never",
				"event-listener.error.on-limit=stop");
		EventPublisher publisher = application.getBean(EventPublisher.class);
		for (int id = 1; id <= 3; id++) {
			publisher.publish(Event.builder().eventful("User", id).action("create").parameter("poison", true).build());
		}
		EventListenerLifecycle lifecycle = application.getBean(EventListenerLifecycle.class);
		await().atMost(Duration.ofSeconds(30)).until(lifecycle::state, (state) -> state == ListenerState.STOPPED);
		assertThat(application.getBean(ErrorBudget.class).isExhausted()).isTrue();
		String queue = this.namespace.queuePrefix() + ".company." + observer;
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).orElseThrow().consumers() == 0);

		publisher.publish(Event.builder().eventful("User", 4).action("create").build());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).orElseThrow().messages() == 1);
		assertThat(application.isActive()).isTrue();
	}

	@Test
	void byDefaultStopsConsumingAndReportsLivenessBroken() {
		long observer = insertObserver();
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class,
				"event-listener.error.limit=3", "event-listener.retry.mode=never");
		ApplicationAvailability availability = application.getBean(ApplicationAvailability.class);
		assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
		EventPublisher publisher = application.getBean(EventPublisher.class);
		for (int id = 1; id <= 3; id++) {
			publisher.publish(Event.builder().eventful("User", id).action("create").parameter("poison", true).build());
		}
		await().atMost(Duration.ofSeconds(30))
			.until(availability::getLivenessState, (state) -> state == LivenessState.BROKEN);
		assertThat(application.getBean(EventListenerLifecycle.class).state()).isEqualTo(ListenerState.STOPPED);
		String queue = this.namespace.queuePrefix() + ".company." + observer;
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).orElseThrow().consumers() == 0);
		assertThat(application.isActive()).isTrue();
	}

	@Test
	void exitModeEndsTheProcessWithANonZeroStatus() throws Exception {
		long observer = insertObserver();
		List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
				"-cp", System.getProperty("java.class.path"), ObserverTestApplication.class.getName()));
		this.namespace.properties().forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--" + TestNamespace.NO_WEB_SERVER);
		command.addAll(List.of("--event-listener.error.limit=2", "--event-listener.retry.mode=never",
				"--event-listener.error.on-limit=exit"));
		File log = new File("target/error-budget-exit-mode.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		try {
			String queue = this.namespace.queuePrefix() + ".company." + observer;
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers() == 1).orElse(false));
			publishPoison(1);
			publishPoison(2);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process ended; see " + log).isTrue();
			assertThat(process.exitValue()).isEqualTo(1);
		}
		finally {
			process.destroyForcibly();
		}
	}

	private void publishPoison(int id) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(
				io.eventlistener.testsupport.LocalServices.RABBIT_HOST,
				io.eventlistener.testsupport.LocalServices.RABBIT_PORT);
		try {
			byte[] body = new EventCodec()
				.write(Event.builder().eventful("User", id).action("create").parameter("poison", true).build());
			new RabbitTemplate(connectionFactory).send(this.namespace.eventsExchange(), "model.User." + id + ".create",
					new Message(body, new MessageProperties()));
		}
		finally {
			connectionFactory.destroy();
		}
	}

	private long insertObserver() {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('c', true, 'model.User.*.create')");
		return this.namespace.queryForLong("select id from company where name = 'c'");
	}

}
