package io.eventlistener.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.partition.BucketAssignment;
import io.eventlistener.partition.Buckets;
import io.eventlistener.partition.MembershipRepository;
import io.eventlistener.partition.PartitionCoordinator;
import io.eventlistener.partition.PartitionCoordinator.PartitionStatus;
import io.eventlistener.partition.PartitionedConsumers;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverConsumers;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The child JVM of one scale run: starts the application over {@code observers} active
 * rows, waits until it is all consuming, then writes the time since the JVM started, the
 * heap after a full GC, the thread count, its consumer channels, its consumers the broker
 * confirmed and its buckets to a file, and keeps running (so the broker can be inspected)
 * until its standard input closes.
 * <p>
 * All consuming: with {@code partitioning=none}, the broker confirmed a consumer for
 * every observer. With {@code dynamic} (system property
 * {@code event-listener.consumer.partitioning}), the group has settled and this instance
 * consumes its share: the stored assignment gives each of the {@code benchmark.instances}
 * members its fair share of the 1,024 buckets (and no bucket to nobody), this instance
 * consumes exactly its own buckets (none kept for a hand-over), and the broker confirmed
 * a consumer for every queue its consumers were asked for.
 * <p>
 * Arguments: jdbc-url prefix observers result-file.
 */
public final class ScaleMain {

	private ScaleMain() {
	}

	/**
	 * Consumers the broker confirmed: counted from the containers' events, or asked of
	 * the multiplexed consumers.
	 */
	private static int consuming(ObserverConsumers consumers) {
		return (consumers instanceof MultiplexedConsumers multiplexed) ? multiplexed.consumingCount()
				: BenchApplication.consumersStarted.get();
	}

	public static void main(String[] args) throws Exception {
		String jdbcUrl = args[0];
		String prefix = args[1];
		int observers = Integer.parseInt(args[2]);
		Path result = Path.of(args[3]);
		ConfigurableApplicationContext application = BenchApplication.start(jdbcUrl, prefix, Map.of());
		long started = System.currentTimeMillis();
		ObserverConsumers consumers = application.getBean(EventListenerAssembly.class).consumers();
		MultiplexedConsumers engine;
		int buckets = Buckets.COUNT;
		long generation = 0;
		if (consumers instanceof PartitionedConsumers partitioned) {
			engine = (MultiplexedConsumers) partitioned.delegate();
			PartitionStatus settled = awaitShare(application, partitioned, engine, started);
			buckets = settled.buckets();
			generation = settled.generation();
		}
		else {
			engine = (MultiplexedConsumers) consumers;
			while (consuming(consumers) < observers) {
				timeout(started, () -> "Only " + consuming(consumers) + " of " + observers + " consumers started");
				// counting walks every consumer: polled every 5 ms it took a fifth of the
				// CPU
				// samples of a 10,000-observer warm start (JFR), so every 50 ms
				Thread.sleep(50);
			}
		}
		long consuming = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
		long ready = started - ManagementFactory.getRuntimeMXBean().getStartTime();
		System.gc();
		System.gc();
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		int threads = ManagementFactory.getThreadMXBean().getThreadCount();
		Files.writeString(result, consuming + " " + ready + " " + heap + " " + threads + " " + engine.channelCount()
				+ " " + engine.consumingCount() + " " + buckets + " " + generation);
		while (System.in.read() >= 0) {
			// wait for the parent to close our standard input
		}
		application.close();
		System.exit(0);
	}

	/**
	 * Wait until the group has settled and this instance consumes all its share (see the
	 * class comment).
	 */
	private static PartitionStatus awaitShare(ConfigurableApplicationContext application,
			PartitionedConsumers consumers, MultiplexedConsumers engine, long started) throws InterruptedException {
		int instances = Integer.getInteger("benchmark.instances", 1);
		PartitionCoordinator coordinator = application.getBean(PartitionCoordinator.class);
		MembershipRepository repository = new MembershipRepository(
				new JdbcTemplate(application.getBean(DataSource.class)));
		while (true) {
			PartitionStatus status = coordinator.status();
			// the cheap checks first; the database only when they pass, at most every 200
			// ms
			if (status.members().size() == instances && fair(status.buckets(), instances)
					&& engine.consumingCount() == engine.queueCount()) {
				Optional<BucketAssignment> stored = repository.assignment(status.group())
					.map(MembershipRepository.StoredAssignment::assignment);
				if (stored.isPresent() && settled(stored.get(), instances)
						&& stored.get().bucketsOf(status.member()).equals(consumers.owned())
						&& engine.consumingCount() == engine.queueCount()) {
					return status;
				}
				Thread.sleep(150);
			}
			timeout(started, () -> "Not settled: " + coordinator.status() + ", " + engine.consumingCount() + " of "
					+ engine.queueCount() + " queues consuming");
			Thread.sleep(50);
		}
	}

	/** Every bucket owned, each of the instances with its fair share. */
	private static boolean settled(BucketAssignment assignment, int instances) {
		Map<String, Integer> counts = assignment.counts();
		return counts.size() == instances && counts.values().stream().allMatch((count) -> fair(count, instances))
				&& counts.values().stream().mapToInt(Integer::intValue).sum() == Buckets.COUNT;
	}

	private static boolean fair(int buckets, int instances) {
		return buckets >= Buckets.COUNT / instances && buckets <= (Buckets.COUNT + instances - 1) / instances;
	}

	private static void timeout(long started, Supplier<String> message) {
		if (System.currentTimeMillis() - started > 1_200_000) {
			throw new IllegalStateException(message.get());
		}
	}

}
