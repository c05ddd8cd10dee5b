package io.eventlistener.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handlers run on the starter's own threads, virtual exactly when Spring Boot says so:
 * {@code spring.threads.virtual.enabled=true} on Java 21 or later. {@code ./mvnw verify}
 * runs this on Java 17 with platform threads and, where Temurin 25 is installed, again on
 * it with virtual threads (the {@code newest-jdk} profile), so each run asserts its own
 * case.
 */
class HandlerThreadsIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void handlersRunOnVirtualThreadsExactlyWhenBootSaysSo() throws Exception {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('c', true, 'model.User.*.create')");
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class);
		List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
		application.getBean(RecordingHandler.class).beforeEach(() -> handlerThreads.add(Thread.currentThread()));
		application.getBean(EventPublisher.class).publish(Event.builder().eventful("User", 1).action("create").build());
		await().atMost(Duration.ofSeconds(30)).until(() -> !handlerThreads.isEmpty());

		Thread handlerThread = handlerThreads.get(0);
		boolean virtualWanted = Runtime.version().feature() >= 21
				&& application.getEnvironment().getProperty("spring.threads.virtual.enabled", Boolean.class, false);
		System.out.println("handler threads | Java " + Runtime.version() + ", spring.threads.virtual.enabled="
				+ application.getEnvironment().getProperty("spring.threads.virtual.enabled") + ": "
				+ handlerThread.getName() + (isVirtual(handlerThread) ? " (virtual)" : " (platform)"));
		assertThat(isVirtual(handlerThread)).as("handler thread %s is virtual", handlerThread).isEqualTo(virtualWanted);
		assertThat(handlerThread.getName()).startsWith("event-listener-handler-");
	}

	/**
	 * {@code Thread.isVirtual()}, which Java 17, the version this is compiled for, lacks.
	 */
	private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
		return Runtime.version().feature() >= 21 && (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

}
