package io.eventlistener.it;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the application mid-flight: no new deliveries are taken, the in-flight handler
 * finishes and is acknowledged, the prefetched deliveries go back to the queue, and the
 * next start handles them. Nothing is lost and the finished one is not handled twice, and
 * the returned deliveries are logged rate-limited, without warnings or stack traces.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownIntegrationTests {

	private static final int BEHIND = 50;

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void inFlightHandlerFinishesAndTheRestWaitForTheNextStart(CapturedOutput output) {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('c', true, 'model.User.*.create')");
		long observer = this.namespace.queryForLong("select id from company where name = 'c'");
		String queue = this.namespace.queuePrefix() + ".company." + observer;
		ConfigurableApplicationContext first = this.namespace.start(ObserverTestApplication.class);
		RecordingHandler firstHandler = first.getBean(RecordingHandler.class);
		EventPublisher publisher = first.getBean(EventPublisher.class);
		publisher.publish(Event.builder().eventful("User", 0).action("create").parameter("block", true).build());
		for (int id = 1; id <= BEHIND; id++) {
			publisher.publish(Event.builder().eventful("User", id).action("create").build());
		}
		await().atMost(Duration.ofSeconds(30)).until(firstHandler::isBlocked);

		int mark = output.getAll().length();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(first::close);
		EventListenerLifecycle lifecycle = first.getBean(EventListenerLifecycle.class);
		await().atMost(Duration.ofSeconds(30)).until(lifecycle::state, (state) -> state == ListenerState.STOPPED);
		assertThat(closing).isNotDone();
		firstHandler.release();
		closing.join();
		String stopping = output.getAll().substring(mark);
		assertThat(stopping).doesNotContain(" ERROR ").doesNotContain("\tat ");
		assertThat(stopping.lines().filter((line) -> line.contains(" WARN "))).isEmpty();
		assertThat(stopping.lines()
			.filter((line) -> line.contains("Returned a prefetched delivery") && !line.contains("more like this")))
			.hasSize(5);
		assertThat(stopping).contains(": " + (BEHIND - 5) + " more like this");

		assertThat(firstHandler.routingKeysFor(observer)).containsExactly("model.User.0.create");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().queue(queue).orElseThrow().messages() == BEHIND);

		ConfigurableApplicationContext second = this.namespace.start(ObserverTestApplication.class);
		RecordingHandler secondHandler = second.getBean(RecordingHandler.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> secondHandler.routingKeysFor(observer).size() == BEHIND);
		assertThat(secondHandler.routingKeysFor(observer)).doesNotContain("model.User.0.create")
			.doesNotHaveDuplicates();
	}

	@Test
	void sigtermShutsDownGracefullyAndExitsWithStatusZero() throws Exception {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('c', true, 'model.User.*.create')");
		long observer = this.namespace.queryForLong("select id from company where name = 'c'");
		List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
				"-cp", System.getProperty("java.class.path"), ObserverTestApplication.class.getName()));
		this.namespace.properties().forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--" + TestNamespace.NO_WEB_SERVER);
		// isimud's exit status 0 is opt-in
		command.add("--event-listener.shutdown.exit-zero-on-signal=true");
		File log = new File("target/sigterm.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		try {
			String queue = this.namespace.queuePrefix() + ".company." + observer;
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.namespace.broker().queue(queue).map((state) -> state.consumers() == 1).orElse(false));
			// the handler is installed once the application is ready, a moment after
			// the consumers start; a signal before that is one during start-up
			await().atMost(Duration.ofSeconds(60))
				.until(() -> Files.readString(log.toPath()).contains("SIGTERM and SIGINT now exit with status 0"));
			process.destroy(); // SIGTERM
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process ended; see " + log).isTrue();
			assertThat(process.exitValue()).isZero();
			assertThat(Files.readString(log.toPath())).contains("SIGTERM received: shutting down gracefully");
		}
		finally {
			process.destroyForcibly();
		}
	}

}
