package io.eventlistener.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.benchmarks.app.RegistryTimes;
import io.eventlistener.benchmarks.app.Subscriber;
import io.eventlistener.benchmarks.app.SubscriberRepository;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Live registration: observers created one by one through the repository (each save
 * commits), and the time from that commit until the observer's queue is declared, bound
 * and consumed; then routing-key changes and the time until the new key is bound. This
 * needs the model watcher, which registers observers as their rows change; without it
 * nothing is registered and the part reports that it was not measured.
 */
final class LiveRegistrationBenchmark {

	static final int REBINDS = 200;

	private static final long TIMEOUT_NANOS = 10_000_000_000L;

	private final Settings settings;

	private final Rabbit rabbit;

	LiveRegistrationBenchmark(Settings settings, Rabbit rabbit) {
		this.settings = settings;
		this.rabbit = rabbit;
	}

	/**
	 * Run the benchmark.
	 * @return sorted commit-to-consuming and commit-to-rebound latencies in nanoseconds,
	 * or null when observers are not registered live (no model watcher)
	 */
	long[][] run() throws Exception {
		String prefix = "elbench-live-" + Long.toString(System.nanoTime(), 36);
		Database database = new Database(prefix);
		database.create(Subscriber.DDL);
		ConfigurableApplicationContext application = BenchApplication.start(database.jdbcUrl(), prefix, Map.of());
		try {
			SubscriberRepository repository = application.getBean(SubscriberRepository.class);
			RegistryTimes times = application.getBean(RegistryTimes.class);
			List<Long> created = new ArrayList<>();
			List<Long> registration = new ArrayList<>();
			for (int i = 0; i < this.settings.liveObservers(); i++) {
				Subscriber subscriber = repository.save(new Subscriber(List.of(Subscriber.routingKey(i + 1))));
				long committed = System.nanoTime();
				String queue = prefix + ".subscriber." + subscriber.getId();
				Long done = await(() -> times.registered(queue));
				if (done == null) {
					return null;
				}
				created.add(subscriber.getId());
				registration.add(done - committed);
			}
			List<Long> rebinding = new ArrayList<>();
			for (Long id : created.subList(0, Math.min(created.size(), REBINDS))) {
				Subscriber subscriber = repository.findById(id).orElseThrow();
				subscriber.setRoutingKeys(List.of("model.Account." + id + ".update"));
				repository.save(subscriber);
				long committed = System.nanoTime();
				Long done = await(() -> times.rebound(prefix + ".subscriber." + id));
				if (done == null) {
					return null;
				}
				rebinding.add(done - committed);
			}
			return new long[][] { sorted(registration), sorted(rebinding) };
		}
		finally {
			application.close();
			this.rabbit.deleteNamespace(prefix);
			database.drop();
		}
	}

	private static Long await(Supplier<Long> time) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT_NANOS;
		Long done = time.get();
		while (done == null && System.nanoTime() < deadline) {
			Thread.sleep(0, 200_000);
			done = time.get();
		}
		return done;
	}

	private static long[] sorted(List<Long> values) {
		return values.stream().mapToLong(Long::longValue).sorted().toArray();
	}

}
