package io.eventlistener.dispatch;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.partition.PartitionedConsumers;
import io.eventlistener.partition.Partitioning;
import io.eventlistener.registry.MonitoredConsumers;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.Mockito.mock;

class ObserverConsumersBuilderTests {

	private static final Executor NO_THREADS = (task) -> {
		throw new AssertionError("no thread is needed before start");
	};

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final CachingConnectionFactory application = new CachingConnectionFactory("localhost");

	private final AtomicInteger registryLookups = new AtomicInteger();

	private final ObserverRegistry registry = mock(ObserverRegistry.class);

	ObserverConsumersBuilderTests() {
		this.scheduler.initialize();
	}

	@AfterEach
	void shutDown() throws Exception {
		this.scheduler.shutdown();
		this.application.destroy();
	}

	@Test
	void theStartersPrefetchComesBeforeBootsAndBootsBeforeTheDefault() {
		assertThat(ObserverConsumersBuilder.prefetch(10, 20)).isEqualTo(10);
		assertThat(ObserverConsumersBuilder.prefetch(null, 20)).isEqualTo(20);
		assertThat(ObserverConsumersBuilder.prefetch(null, null)).isEqualTo(ObserverConsumersBuilder.DEFAULT_PREFETCH);
	}

	@Test
	void theConsumersStopInTheListenersPhase() throws Exception {
		MonitoredConsumers consumers = builder().build(() -> mock(MultiplexedConsumers.Listener.class));

		assertThat(consumers).isInstanceOf(MultiplexedConsumers.class);
		assertThat(((MultiplexedConsumers) consumers).getPhase()).isEqualTo(EventListenerLifecycle.PHASE);
		((MultiplexedConsumers) consumers).destroy();
	}

	@Test
	void dynamicPartitioningConsumesOnlyThisInstancesBuckets() throws Exception {
		MonitoredConsumers consumers = builder().partitioning(Partitioning.DYNAMIC)
			.build(() -> mock(MultiplexedConsumers.Listener.class));

		assertThat(consumers).isInstanceOf(PartitionedConsumers.class);
		((PartitionedConsumers) consumers).destroy();
	}

	@Test
	void theRegistryIsAskedOnFirstUseOnly() throws Exception {
		PartitionedConsumers consumers = (PartitionedConsumers) builder().partitioning(Partitioning.DYNAMIC)
			.build(() -> mock(MultiplexedConsumers.Listener.class));
		assertThat(this.registryLookups).hasValue(0);

		consumers.consume("billing.company.1");
		consumers.consume("billing.company.2");

		assertThat(this.registryLookups).hasValue(1);
		consumers.destroy();
	}

	@Test
	void consumersNeedAConnectionFactoryTheyCanCopy() {
		assertThatIllegalStateException()
			.isThrownBy(() -> builder().connections(mock(ConnectionFactory.class), (connection) -> {
			}, "billing"))
			.withMessageContaining("Define an ObserverConsumers bean");
	}

	private ObserverConsumersBuilder builder() {
		return new ObserverConsumersBuilder(() -> {
			this.registryLookups.incrementAndGet();
			return this.registry;
		}, () -> mock(ObserverHandlers.class), new EventCodec()).connections(this.application, (connection) -> {
		}, "billing")
			.settings(new MultiplexedConsumers.Settings(100, 10, 250, 1, Duration.ofMillis(100), Duration.ofSeconds(5),
					Duration.ofSeconds(5)))
			.threads(new MultiplexedConsumers.Threads(NO_THREADS, NO_THREADS, NO_THREADS, this.scheduler));
	}

}
