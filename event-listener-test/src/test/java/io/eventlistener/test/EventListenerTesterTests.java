package io.eventlistener.test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.eventlistener.Event;
import io.eventlistener.EventObserver;
import io.eventlistener.observer.ObserverTypes;
import org.junit.jupiter.api.Test;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The helper's own behaviour, without a broker: matching, waiting, failing with a
 * message, capturing; and the Testcontainers configuration's shape (running it needs
 * Docker, which this project's CI does not have; the sample application's tests use the
 * helper against real services).
 */
class EventListenerTesterTests {

	@Test
	void eventsMatchOnRoutingKeyMillisecondTimeAndParameters() {
		Instant now = Instant.parse("2026-01-02T03:04:05.123456789Z");
		Event sent = Event.builder().eventful("User", 1).action("create").occurredAt(now).parameter("a", 1).build();
		Event received = Event.builder()
			.eventful("User", 1)
			.action("create")
			.occurredAt(Instant.parse("2026-01-02T03:04:05.123Z"))
			.parameter("a", 1)
			.build();
		assertThat(EventListenerTester.sameEvent(sent, received)).isTrue();
		assertThat(EventListenerTester.sameEvent(sent,
				Event.builder().eventful("User", 2).action("create").occurredAt(now).parameter("a", 1).build()))
			.isFalse();
	}

	@Test
	void recordingReturnsAnItemRecordedWhileWaiting() throws Exception {
		Recording<String> recording = new Recording<>();
		CompletableFuture<String> awaited = CompletableFuture
			.supplyAsync(() -> recording.await("second"::equals, Duration.ofSeconds(30), "second"));
		recording.add("first");
		recording.add("second");
		assertThat(awaited.get(30, TimeUnit.SECONDS)).isEqualTo("second");
	}

	@Test
	void recordingFailsWithWhatWasRecordedMeanwhile() {
		Recording<String> recording = new Recording<>();
		recording.add("other");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> recording.await("wanted"::equals, Duration.ofMillis(50), "wanted item"))
			.withMessageContaining("No wanted item within PT0.05S")
			.withMessageContaining("[other]");
	}

	@Test
	void publishedEventsAreRecordedAndCleared() {
		PublishedEventsRecorder recorder = new PublishedEventsRecorder();
		Object wrapped = recorder.postProcessAfterInitialization((io.eventlistener.EventPublisher) (event) -> {
		}, "eventPublisher");
		Event event = Event.builder().action("x").build();
		((io.eventlistener.EventPublisher) wrapped).publish(event);
		EventListenerTester tester = new EventListenerTester((e) -> {
		}, new ObserverTypes(List.of()), recorder.published());
		assertThat(tester.published()).containsExactly(event);
		tester.reset();
		assertThat(tester.published()).isEmpty();
		assertThat(recorder.postProcessAfterInitialization("not a publisher", "other")).isEqualTo("not a publisher");
	}

	@Test
	void unknownObserverTypeIsRefusedWithTheKnownTypes() {
		EventListenerTester tester = new EventListenerTester((event) -> {
		}, new ObserverTypes(List.of()), new Recording<>());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tester.publishAndAwait(Event.builder().build(), NotAnObserver.class, 1))
			.withMessageContaining(NotAnObserver.class.getName() + " is not an observer type");
	}

	@Test
	void containersAreServiceConnectionBeans() {
		Map<String, Class<?>> beans = Map.of("eventListenerRabbitMq",
				org.testcontainers.rabbitmq.RabbitMQContainer.class, "eventListenerPostgres",
				org.testcontainers.postgresql.PostgreSQLContainer.class);
		beans.forEach((name, type) -> {
			Method method = method(name);
			assertThat(method.getReturnType()).isEqualTo(type);
			assertThat(method.isAnnotationPresent(Bean.class)).isTrue();
			assertThat(method.isAnnotationPresent(ServiceConnection.class)).isTrue();
		});
		assertThat(EventListenerContainers.RABBITMQ_IMAGE.getUnversionedPart()).isEqualTo("rabbitmq");
		assertThat(EventListenerContainers.POSTGRES_IMAGE.getUnversionedPart()).isEqualTo("postgres");
	}

	private static Method method(String name) {
		try {
			return EventListenerContainers.class.getDeclaredMethod(name);
		}
		catch (NoSuchMethodException ex) {
			throw new AssertionError(ex);
		}
	}

	static class NotAnObserver implements EventObserver {

		@Override
		public List<String> getRoutingKeys() {
			return List.of();
		}

	}

}
