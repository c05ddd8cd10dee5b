package io.eventlistener.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.ShutdownSignalException;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class RegistryRecoveryTests {

	private final ErrorBudget budget = new ErrorBudget(10, Duration.ofHours(1),
			new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), () -> {
			});

	@Test
	void failedResyncIsCountedAndTheNextOneStillRuns() {
		AtomicInteger attempts = new AtomicInteger();
		RegistryRecovery recovery = new RegistryRecovery(mock(ObserverRegistry.class),
				new BrokerTopology(mock(AmqpAdmin.class)), List.of(), "events", () -> {
					attempts.incrementAndGet();
					throw new DataAccessResourceFailureException("database down");
				}, this.budget, Duration.ofMinutes(5), mock(TaskScheduler.class));
		// a failure escaping resync() would end the scheduled resyncs for good
		assertThatNoException().isThrownBy(recovery::resync);
		assertThatNoException().isThrownBy(recovery::resync);
		assertThat(attempts).hasValue(2);
		assertThat(this.budget.errorsInWindow()).isEqualTo(2);
	}

	@Test
	void onlyAConnectionMadeAfterALostOneRecovers() {
		AtomicInteger resyncs = new AtomicInteger();
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		try {
			RegistryRecovery recovery = new RegistryRecovery(mock(ObserverRegistry.class),
					new BrokerTopology(mock(AmqpAdmin.class)), List.of(), "events", resyncs::incrementAndGet,
					this.budget, Duration.ofHours(1), scheduler);
			recovery.start();
			// the application's connection, then its separate publisher connection: a
			// start
			recovery.onCreate(mock(Connection.class));
			recovery.onCreate(mock(Connection.class));
			recovery.onShutDown(new ShutdownSignalException(true, false, null, null));
			recovery.onCreate(mock(Connection.class));
			// one scheduler thread runs in order: a recovery of the start would come
			// first
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(resyncs).hasValue(1));
			recovery.stop();
			assertThat(resyncs).hasValue(1);
		}
		finally {
			scheduler.shutdown();
		}
	}

	@Test
	void finishesTheListenersFailedBackgroundLoad() {
		AtomicInteger resyncs = new AtomicInteger();
		TaskScheduler scheduler = mock(TaskScheduler.class);
		willReturn(mock(ScheduledFuture.class)).given(scheduler)
			.scheduleWithFixedDelay(any(Runnable.class), any(Instant.class), any(Duration.class));
		RegistryRecovery recovery = new RegistryRecovery(mock(ObserverRegistry.class),
				new BrokerTopology(mock(AmqpAdmin.class)), List.of(), "events", resyncs::incrementAndGet, this.budget,
				Duration.ofHours(1), scheduler);
		EventListenerLifecycle lifecycle = mock(EventListenerLifecycle.class);
		recovery.finishFailedLoadsOf(lifecycle);
		recovery.start();
		ArgumentCaptor<Runnable> loadFailureHandler = ArgumentCaptor.forClass(Runnable.class);
		verify(lifecycle).setLoadFailureHandler(loadFailureHandler.capture());
		// a failed load: a resync is scheduled, and retried until one succeeds
		loadFailureHandler.getValue().run();
		verify(scheduler).schedule(any(Runnable.class), any(Instant.class));
		recovery.resync();
		assertThat(resyncs).hasValue(1);
		verify(lifecycle).resynchronized();
	}

}
