package io.eventlistener.partition;

import java.time.Duration;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.TestObserverTypes;
import io.eventlistener.registry.ObserverRegistration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starting and stopping queues as buckets come and go, the stops on another thread than
 * the starts.
 */
class PartitionedConsumersTests {

	private static final ObserverType<PartitionCoordinatorTests.Hook> POOLED = TestObserverTypes.longId("Hook",
			PartitionCoordinatorTests.Hook.class);

	private static final int OBSERVERS = 500;

	private final Map<String, ObserverRegistration> registry = new HashMap<>();

	private final HeldEngine engine = new HeldEngine();

	private final PartitionedConsumers consumers = new PartitionedConsumers(this.engine,
			(queue) -> Optional.ofNullable(this.registry.get(queue)));

	PartitionedConsumersTests() {
		for (int id = 1; id <= OBSERVERS; id++) {
			String queue = "app.hook." + id;
			this.registry.put(queue, new ObserverRegistration(new ObserverKey(POOLED.name(), String.valueOf(id)),
					POOLED, new PartitionCoordinatorTests.Hook(), queue, "events", Set.of("a")));
		}
	}

	/**
	 * A start while the stop runs would find the old consumer and do nothing, and the
	 * stop would then leave the queue without one.
	 */
	@Test
	void aBucketThatComesBackWhileItsQueuesAreStoppedIsConsumedAgainOnceTheStopHasFinished() throws Exception {
		BitSet all = new BitSet(Buckets.COUNT);
		all.set(0, Buckets.COUNT);
		this.consumers.consumeAll(this.registry.keySet());
		assertThat(this.consumers.assign(all)).isEqualTo(OBSERVERS);
		String queue = "app.hook.1";
		int bucket = Buckets.of(this.registry.get(queue).key());
		BitSet without = (BitSet) all.clone();
		without.clear(bucket);

		assertThat(this.consumers.assign(without)).isZero();
		assertThat(this.engine.consumed).contains(queue);
		CompletableFuture<Integer> release = CompletableFuture.supplyAsync(this.consumers::release);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.engine.cancelling.getCount() == 0);
		assertThat(this.consumers.assign(all)).as("started while its stop runs").isZero();
		this.engine.proceed.countDown();

		assertThat(release.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.engine.consumed).contains(queue).hasSize(OBSERVERS);
		assertThat(this.consumers.hasReleasing()).isFalse();
	}

	/**
	 * A bucket that goes, comes back and goes again while its first stop runs: the second
	 * release leaves its queues to the first, which does not start them again.
	 */
	@Test
	void aQueueBeingStoppedIsLeftToTheReleaseStoppingIt() throws Exception {
		BitSet all = new BitSet(Buckets.COUNT);
		all.set(0, Buckets.COUNT);
		this.consumers.consumeAll(this.registry.keySet());
		this.consumers.assign(all);
		String queue = "app.hook.1";
		BitSet without = (BitSet) all.clone();
		without.clear(Buckets.of(this.registry.get(queue).key()));
		this.consumers.assign(without);
		CompletableFuture<Integer> first = CompletableFuture.supplyAsync(this.consumers::release);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.engine.cancelling.getCount() == 0);

		this.consumers.assign(all);
		this.consumers.assign(without);
		assertThat(this.consumers.release()).as("stopped by the second release").isZero();
		this.engine.proceed.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.engine.consumed).doesNotContain(queue);
	}

	@Test
	void aBucketThatComesBackBeforeItsStopBeganIsNeverStopped() {
		BitSet all = new BitSet(Buckets.COUNT);
		all.set(0, Buckets.COUNT);
		this.consumers.consumeAll(this.registry.keySet());
		this.consumers.assign(all);
		BitSet without = (BitSet) all.clone();
		without.clear(Buckets.of(this.registry.get("app.hook.1").key()));

		this.consumers.assign(without);
		this.consumers.assign(all);

		assertThat(this.consumers.hasReleasing()).isFalse();
		this.engine.proceed.countDown();
		assertThat(this.consumers.release()).isZero();
		assertThat(this.engine.consumed).hasSize(OBSERVERS);
	}

	/**
	 * Consumes what it is asked; a cancel waits until the test lets it go, and removes
	 * its queues only then (as a consumer engine's cancel waits for in-flight handlers).
	 */
	static final class HeldEngine extends PartitionCoordinatorTests.RecordingEngine {

		final CountDownLatch cancelling = new CountDownLatch(1);

		final CountDownLatch proceed = new CountDownLatch(1);

		@Override
		public void cancel(String queue) {
			cancelAll(List.of(queue));
		}

		@Override
		public void cancelAll(Collection<String> queues) {
			if (queues.isEmpty()) {
				return;
			}
			this.cancelling.countDown();
			try {
				assertThat(this.proceed.await(10, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.consumed.removeAll(queues);
		}

	}

}
