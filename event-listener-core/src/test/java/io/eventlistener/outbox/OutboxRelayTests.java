package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.scheduling.TaskScheduler;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class OutboxRelayTests {

	private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

	private final TaskScheduler scheduler = mock(TaskScheduler.class);

	private final BrokerBlocking blocking = new BrokerBlocking(Clock.fixed(NOW, ZoneOffset.UTC));

	private final MessageOutbox outbox = mock(MessageOutbox.class);

	private final ConnectionFactory publisherConnections = mock(ConnectionFactory.class);

	private final AtomicReference<ConnectionListener> connectionListener = new AtomicReference<>();

	private final AtomicReference<Runnable> deferred = new AtomicReference<>();

	@Test
	void relayWhenReadyRelaysSoonAfterAnUnblockAndAPublishingConnection() {
		OutboxRelay relay = startedRelayWhenReady();
		Connection blocked = mock(Connection.class);
		this.blocking.blocked(blocked, "memory alarm");
		this.blocking.unblocked(blocked);
		// at once, and once more after the send timeout
		verify(this.scheduler).schedule(any(Runnable.class), eq(NOW));
		verify(this.scheduler).schedule(any(Runnable.class), eq(NOW.plus(SEND_TIMEOUT)));
		this.connectionListener.get().onCreate(mock(Connection.class));
		verify(this.scheduler, times(2)).schedule(any(Runnable.class), eq(NOW));
		verify(this.scheduler, times(2)).schedule(any(Runnable.class), eq(NOW.plus(SEND_TIMEOUT)));
		relay.stop();
	}

	@Test
	void relayWhenReadyRelaysMessagesThatWaitedBehindOthers() {
		OutboxRelay relay = startedRelayWhenReady();
		this.deferred.get().run();
		verify(this.scheduler).schedule(any(Runnable.class), eq(NOW.plusMillis(100)));
		relay.stop();
	}

	@Test
	void withoutRelayWhenReadyNothingHooksTheRelayUp() {
		relay();
		verify(this.outbox, never()).whenDeferred(any());
		verify(this.publisherConnections, never()).addConnectionListener(any());
	}

	private OutboxRelay startedRelayWhenReady() {
		willAnswer((invocation) -> {
			this.deferred.set(invocation.getArgument(0));
			return null;
		}).given(this.outbox).whenDeferred(any());
		willAnswer((invocation) -> {
			this.connectionListener.set(invocation.getArgument(0));
			return null;
		}).given(this.publisherConnections).addConnectionListener(any());
		willReturn(mock(ScheduledFuture.class)).given(this.scheduler)
			.scheduleWithFixedDelay(any(Runnable.class), any(Instant.class), any(Duration.class));
		OutboxRelay relay = relay();
		relay.setSendTimeout(SEND_TIMEOUT);
		relay.relayWhenReady(this.blocking, this.publisherConnections);
		relay.start();
		return relay;
	}

	private OutboxRelay relay() {
		return new OutboxRelay(mock(OutboxRepository.class), this.outbox, Clock.fixed(NOW, ZoneOffset.UTC),
				Duration.ofMinutes(1), Duration.ofMinutes(1), () -> {
				}, this.scheduler);
	}

}
