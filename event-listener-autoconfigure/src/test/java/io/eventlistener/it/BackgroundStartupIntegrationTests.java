package io.eventlistener.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.autoconfigure.SignalExit;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistryListener;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code event-listener.startup.mode=background} against the real RabbitMQ and
 * PostgreSQL: the context's start returns while the observers are still being loaded
 * (health {@code STARTING} with the count registered so far), then every observer queue
 * gets exactly one consumer and health goes {@code UP}; a broker outage during the load
 * is logged once and the recovery's resync finishes the start-up; stopping during the
 * load ends it.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackgroundStartupIntegrationTests {

	private static final String LOAD_FAILED = "Loading the active observers in the background failed";

	/** Holds the background load inside its first bulk until the test has looked. */
	private static volatile Gate gate = new Gate();

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		gate.release();
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void contextIsReadyWhileObserversAreLoadedThenEveryQueueIsConsumedOnce() {
		TestNamespace namespace = namespace();
		namespace.sql("insert into company (name, active, routing_keys) "
				+ "select 'c' || g, true, 'background.' || g from generate_series(1, 300) g");

		ConfigurableApplicationContext application = start(namespace);

		// the load is held inside its first bulk, so run() returned before it finished
		assertThat(gate.awaitReached()).as("the background load reached its first bulk").isTrue();
		Health starting = health(application);
		assertThat(starting.getStatus()).isEqualTo(EventListenerHealthIndicator.STARTING);
		assertThat(starting.getDetails()).containsEntry("state", ListenerState.STARTING).containsEntry("total", 300);
		assertThat((Integer) starting.getDetails().get("registered")).isLessThan(300);

		gate.release();
		String prefix = namespace.queuePrefix() + ".company.";
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			Map<String, Integer> consumers = namespace.broker().consumersByQueue(prefix);
			assertThat(consumers).hasSize(300);
			assertThat(consumers.values()).containsOnly(1);
		});
		await().atMost(Duration.ofSeconds(30)).until(() -> health(application).getStatus().equals(Status.UP));
	}

	@Test
	void aBrokerOutageDuringTheLoadIsLoggedOnceAndTheResyncFinishesTheStart(CapturedOutput output) {
		TcpProxy rabbit = new TcpProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		this.resources.add(rabbit);
		TestNamespace namespace = namespace();
		namespace.sql("insert into company (name, active, routing_keys) "
				+ "select 'c' || g, true, 'outage.' || g from generate_series(1, 5) g");
		ConfigurableApplicationContext application = start(namespace, "spring.rabbitmq.port=" + rabbit.port());
		assertThat(gate.awaitReached()).isTrue();
		// the first bulk is consumed; the broker goes before the application's queues
		String prefix = namespace.queuePrefix() + ".company.";
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(namespace.broker().consumersByQueue(prefix).values()).hasSize(5).containsOnly(1));

		rabbit.pause();
		gate.release();
		await().atMost(Duration.ofSeconds(60)).until(() -> output.getAll().contains(LOAD_FAILED));
		assertThat(health(application).getStatus()).isEqualTo(EventListenerHealthIndicator.STARTING);
		// created while the broker was away: only the resync can find it
		namespace.sql("insert into company (name, active, routing_keys) values ('late', true, 'outage.late')");
		long late = namespace.queryForLong("select id from company where name = 'late'");

		rabbit.resume();
		await().atMost(Duration.ofSeconds(90)).until(() -> health(application).getStatus().equals(Status.UP));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<String, Integer> consumers = namespace.broker().consumersByQueue(prefix);
			assertThat(consumers).hasSize(6).containsEntry(prefix + late, 1);
			assertThat(consumers.values()).containsOnly(1);
		});
		assertThat(namespace.broker().queue(namespace.queuePrefix() + ".audit").orElseThrow().consumers()).isEqualTo(1);
		assertThat(output.getAll().split(LOAD_FAILED, -1)).hasSize(2);
	}

	@Test
	void stoppingDuringTheLoadEndsItAfterTheBulkInProgress(CapturedOutput output) throws Exception {
		TestNamespace namespace = namespace();
		namespace.sql("insert into company (name, active, routing_keys) "
				+ "select 'c' || g, true, 'stop.' || g from generate_series(1, 20) g");
		ConfigurableApplicationContext application = start(namespace,
				"event-listener.shutdown.exit-zero-on-signal=true");
		assertThat(gate.awaitReached()).isTrue();
		EventListenerLifecycle lifecycle = application.getBean(EventListenerLifecycle.class);
		// the application is up while it loads: SIGTERM now is a normal stop (status 0)
		assertThat(lifecycle.state()).isEqualTo(ListenerState.STARTING);
		assertThat(application.getBean(SignalExit.class).isNormalStop()).isTrue();

		CompletableFuture<Void> closed = CompletableFuture.runAsync(application::close);
		await().atMost(Duration.ofSeconds(30)).until(() -> lifecycle.state() == ListenerState.STOPPED);
		gate.release();
		closed.get(60, TimeUnit.SECONDS);

		assertThat(output.getAll()).contains("Stopped while loading observers: 20 of 20 registered");
		// the load ended before the application's queues: nothing declared them
		assertThat(namespace.broker().queue(namespace.queuePrefix() + ".audit")).isEmpty();
		assertThat(namespace.broker().consumersByQueue(namespace.queuePrefix() + ".company.").values()).hasSize(20)
			.containsOnly(0);
	}

	private TestNamespace namespace() {
		TestNamespace namespace = TestNamespace.create(Company.DDL);
		this.resources.add(namespace);
		return namespace;
	}

	private ConfigurableApplicationContext start(TestNamespace namespace, String... extra) {
		gate = new Gate();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ObserverTestApplication.class,
				GateConfiguration.class)
			.properties(namespace.properties())
			.properties(TestNamespace.NO_WEB_SERVER, "event-listener.startup.mode=background",
					"event-listener.resync.interval=1h")
			.properties(extra)
			.run();
		this.resources.add(context);
		return context;
	}

	private static Health health(ConfigurableApplicationContext application) {
		return application.getBean(EventListenerHealthIndicator.class).health(true);
	}

	/**
	 * Not annotated: the test application's component scan must not find it.
	 */
	static class GateConfiguration {

		@Bean
		ObserverRegistryListener backgroundLoadGate() {
			return new ObserverRegistryListener() {

				@Override
				public void registered(ObserverRegistration registration) {
					gate.pass();
				}

			};
		}

	}

	/**
	 * The first registration waits here until released (at most 30 s, so a blocking
	 * start-up fails the test instead of hanging it).
	 */
	static final class Gate {

		private final CountDownLatch reached = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		void pass() {
			if (this.reached.getCount() == 0) {
				return;
			}
			this.reached.countDown();
			try {
				this.released.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		boolean awaitReached() {
			try {
				return this.reached.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

		void release() {
			this.released.countDown();
		}

	}

}
