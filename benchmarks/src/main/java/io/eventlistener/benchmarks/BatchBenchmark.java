package io.eventlistener.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.benchmarks.app.Subscriber;
import io.eventlistener.benchmarks.batch.BatchBenchApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Batch handlers against one handler call per event, both writing every event to
 * PostgreSQL: {@value #EVENTS} events of 1 KiB spread over {@value #OBSERVERS} observers
 * of one type, multiplexed consumers, measured from the first publish until the last row
 * is in. {@code single} is an {@code EventHandler} doing a plain JDBC insert per event
 * (auto-commit); {@code batch} an {@code EventBatchHandler} doing one batched insert per
 * batch (100 events or 100 ms) in one transaction. Run:
 * {@code ./mvnw -q -pl benchmarks -am package -DskipTests -Pbenchmark
 * -Dbenchmark.main=io.eventlistener.benchmarks.BatchBenchmark} (it ignores the other
 * benchmarks' arguments).
 */
public final class BatchBenchmark {

	private static final int EVENTS = 20_000;

	private static final int OBSERVERS = 10;

	private BatchBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Database.cleanUpOnExit();
		System.out.println("load average at start: " + loadAverage());
		for (int round = 1; round <= 2; round++) {
			for (String mode : new String[] { "single", "batch" }) {
				System.out.println("round " + round + ", " + mode + ": " + run(mode));
			}
		}
		System.out.println("load average at end: " + loadAverage());
		System.exit(0);
	}

	private static String run(String mode) throws Exception {
		String prefix = "elbench-batch-" + mode + "-" + Long.toString(System.nanoTime(), 36);
		Database database = new Database(prefix);
		database.create(Subscriber.DDL, BatchBenchApplication.DDL);
		database.observers(OBSERVERS);
		try (Rabbit rabbit = new Rabbit();
				ConfigurableApplicationContext application = BenchApplication.start(BatchBenchApplication.class,
						database.jdbcUrl(), prefix, Map.of("batch-bench.mode", mode))) {
			long start = System.nanoTime();
			rabbit.fill(EVENTS, prefix + ".events", (i) -> Subscriber.routingKey(i % OBSERVERS + 1),
					(i) -> Events.body(i % OBSERVERS + 1, -1));
			long published = System.nanoTime() - start;
			long deadline = System.nanoTime() + 600_000_000_000L;
			while (database.count("sink") < EVENTS) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Not every event was written within 10 minutes");
				}
				Thread.sleep(20);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			return String.format("%,d events in %.2f s: %,.0f events/s (publishing took %.2f s), load %s", EVENTS,
					seconds, EVENTS / seconds, published / 1e9, loadAverage());
		}
		finally {
			try (Rabbit rabbit = new Rabbit()) {
				rabbit.deleteNamespace(prefix);
			}
			database.drop();
		}
	}

	private static String loadAverage() throws Exception {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

}
