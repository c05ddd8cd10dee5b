package io.eventlistener.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.benchmarks.app.Subscriber;
import io.eventlistener.benchmarks.inbox.InboxBenchApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The inbox's cost: the same events drained with {@code event-listener.inbox.enabled} off
 * and on, by a handler that writes one row per event to PostgreSQL, for 1 and 100
 * observers of one type. Each event carries a {@code message_id}, as isimud's do. One run
 * per mode, observer count and round, in a fresh application and schema, timed from the
 * first publish until the last row is in; the figure is the median of the rounds, and the
 * ratio on/off the median of the per-round ratios.
 */
final class InboxBenchmark {

	static final List<Integer> OBSERVERS = List.of(1, 100);

	/** How the handler writes: its row committing by itself, or in a transaction. */
	static final List<String> HANDLERS = List.of("autocommit", "transactional");

	private final Settings settings;

	InboxBenchmark(Settings settings) {
		this.settings = settings;
	}

	/**
	 * Measure every mode and observer count.
	 * @return the report section
	 */
	String run() throws Exception {
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		for (int round = 0; round < this.settings.rounds(); round++) {
			for (String handler : HANDLERS) {
				for (int observers : OBSERVERS) {
					for (boolean inbox : new boolean[] { false, true }) {
						double rate = drain(observers, inbox, handler);
						rates.computeIfAbsent(key(handler, observers, inbox), (name) -> new ArrayList<>()).add(rate);
						System.err.printf(
								"[benchmark] inbox round %d, %s handler, %d observer(s), inbox %s: %,.0f events/s "
										+ "(load %s)%n",
								round + 1, handler, observers, inbox ? "on" : "off", rate, Benchmarks.load());
					}
				}
			}
		}
		StringBuilder report = new StringBuilder(String.format("%,d persistent 1 KiB events with a message id, a "
				+ "handler that writes one row each (JdbcTemplate): committing by itself (autocommit) or in a "
				+ "transaction of its own (transactional, as a Spring Data repository's save does); the inbox's "
				+ "transaction holds both; median of %d rounds%n%n| handler | observers | inbox off, events/s | "
				+ "inbox on, events/s | on / off |%n| --- | ---: | ---: | ---: | ---: |%n", this.settings.messages(),
				this.settings.rounds()));
		for (String handler : HANDLERS) {
			for (int observers : OBSERVERS) {
				List<Double> off = rates.get(key(handler, observers, false));
				List<Double> on = rates.get(key(handler, observers, true));
				List<Double> ratios = new ArrayList<>();
				for (int i = 0; i < off.size(); i++) {
					ratios.add(on.get(i) / off.get(i));
				}
				report.append(String.format("| %s | %d | %,.0f | %,.0f | %.2f |%n", handler, observers,
						Stats.median(off), Stats.median(on), Stats.median(ratios)));
			}
		}
		return report.toString();
	}

	private static String key(String handler, int observers, boolean inbox) {
		return handler + ":" + observers + ":" + inbox;
	}

	private double drain(int observers, boolean inbox, String handler) throws Exception {
		int events = this.settings.messages();
		String prefix = "elbench-inbox-" + Long.toString(System.nanoTime(), 36);
		Database database = new Database(prefix);
		database.create(Subscriber.DDL, InboxBenchApplication.DDL);
		database.observers(observers);
		try (Rabbit rabbit = new Rabbit();
				ConfigurableApplicationContext application = BenchApplication.start(InboxBenchApplication.class,
						database.jdbcUrl(), prefix,
						Map.of("event-listener.inbox.enabled", inbox, InboxBenchApplication.HANDLER, handler))) {
			long start = System.nanoTime();
			rabbit.fill(events, prefix + ".events", (i) -> Subscriber.routingKey(i % observers + 1),
					(i) -> Events.body(i % observers + 1, -1), (i) -> prefix + ":" + i);
			long deadline = System.nanoTime() + 600_000_000_000L;
			while (database.count("sink") < events) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Not every event was written within 10 minutes");
				}
				Thread.sleep(10);
			}
			return events / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			try (Rabbit rabbit = new Rabbit()) {
				rabbit.deleteNamespace(prefix);
			}
			database.drop();
		}
	}

}
