package io.eventlistener.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverConsumers;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The child JVM of one scale run: starts the application over {@code observers} active
 * rows, waits until the broker confirmed a consumer for every one of them, then writes
 * the time since the JVM started, the heap after a full GC and the thread count to a
 * file, and keeps running (so the broker can be inspected) until its standard input
 * closes.
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
		ObserverConsumers consumers = application.getBean(ObserverConsumers.class);
		while (consuming(consumers) < observers) {
			if (System.currentTimeMillis() - started > 600_000) {
				throw new IllegalStateException(
						"Only " + consuming(consumers) + " of " + observers + " consumers started");
			}
			// counting walks every consumer: polled every 5 ms it took a fifth of the CPU
			// samples of a 10,000-observer warm start (JFR), so every 50 ms
			Thread.sleep(50);
		}
		long consuming = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
		long ready = started - ManagementFactory.getRuntimeMXBean().getStartTime();
		System.gc();
		System.gc();
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		int threads = ManagementFactory.getThreadMXBean().getThreadCount();
		int shards = ((MultiplexedConsumers) consumers).channelCount();
		Files.writeString(result, consuming + " " + ready + " " + heap + " " + threads + " " + shards);
		while (System.in.read() >= 0) {
			// wait for the parent to close our standard input
		}
		application.close();
		System.exit(0);
	}

}
