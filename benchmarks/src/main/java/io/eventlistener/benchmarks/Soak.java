package io.eventlistener.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.impl.ClientVersion;
import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.benchmarks.app.Subscriber;
import io.eventlistener.benchmarks.soak.Deliveries;
import io.eventlistener.benchmarks.soak.SoakApplication;
import io.eventlistener.lifecycle.EventListenerLifecycle;

import org.springframework.amqp.core.Message;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The soak run: steady load on the starter for {@code --soak} (30 minutes by default)
 * with a fault every {@code --fault-every}, in turn: the application's broker connections
 * closed (management API, by connection name), the broker stopped and started
 * ({@code rabbitmqctl stop_app} / {@code start_app}), the database cut (a TCP proxy in
 * front of PostgreSQL closes and refuses its connections for {@code --db-cut}). Every
 * {@code --every} it prints published / handled / dead-lettered / duplicates, heap and
 * threads; at the end the totals with lost, and writes {@code soak.md} and
 * {@code soak.png} to {@code --out}.
 * <p>
 * It stops its broker, so it runs on a RabbitMQ node of its own ({@link SoakBroker}),
 * never on the shared one. Heap is measured after {@link System#gc()}, of this whole JVM
 * (the application, the publisher and the proxy); threads are counted with and without
 * the proxy's pumps (two per database connection, so they come and go with the cut).
 */
public final class Soak {

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

	private final Options options;

	private final List<Sample> samples = new ArrayList<>();

	private final List<Fault> faults = new ArrayList<>();

	/** When the load started: faults and samples are timed from it. */
	private long startNanos = System.nanoTime();

	private Soak(Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		System.out.println(new Soak(options).run());
		System.exit(0);
	}

	private String run() throws Exception {
		Files.createDirectories(this.options.out());
		String startLoad = Benchmarks.load();
		OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
		String prefix = "elsoak-" + Long.toString(System.nanoTime(), 36);
		Database database = new Database(prefix);
		SoakBroker broker = new SoakBroker(Path.of("target", "soak-rabbit"));
		Thread cleanUp = new Thread(() -> {
			// stopped half-way (Ctrl-C): drop the schema, stop the node
			database.drop();
			broker.close();
		}, "soak-clean-up");
		Runtime.getRuntime().addShutdownHook(cleanUp);
		try (broker) {
			log("starting " + SoakBroker.NODE + " on 127.0.0.1:" + SoakBroker.PORT + " (management "
					+ SoakBroker.MANAGEMENT_PORT + ")");
			broker.start();
			database.create(Subscriber.DDL);
			database.observers(this.options.observers());
			try (Rabbit rabbit = new Rabbit(SoakBroker.PORT, SoakBroker.MANAGEMENT_PORT);
					SoakProxy postgres = new SoakProxy("127.0.0.1", 5432)) {
				String rabbitVersion = rabbit.version();
				ConfigurableApplicationContext application = BenchApplication.start(SoakApplication.class,
						database.jdbcUrl().replace(":5432/", ":" + postgres.port() + "/"), prefix, settings());
				String postgresVersion = application.getBean(JdbcTemplate.class)
					.queryForObject("show server_version", String.class);
				Deliveries deliveries = application.getBean(Deliveries.class);
				EventListenerLifecycle lifecycle = application.getBean(EventListenerLifecycle.class);
				String deadLetters = prefix + ".dead-letter";
				await(Duration.ofMinutes(2),
						() -> rabbit.queuesWithOneConsumer(prefix + ".subscriber.")[0] == this.options.observers());
				Totals totals;
				try (SoakPublisher publisher = new SoakPublisher(prefix + ".events", SoakBroker.PORT,
						this.options.rate(), this.options.observers())) {
					this.startNanos = System.nanoTime();
					publisher.start();
					ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
					sampler.scheduleAtFixedRate(
							() -> sample(publisher, deliveries, lifecycle, () -> rabbit.messages(deadLetters)), 0,
							this.options.every().toMillis(), TimeUnit.MILLISECONDS);
					faults(broker, rabbit, postgres, publisher, deliveries, prefix);
					awaitElapsed(this.options.duration());
					publisher.close();
					log("load stopped after " + publisher.published() + " events; waiting for the queues to drain");
					await(Duration.ofMinutes(3), () -> deliveries.missing(publisher.confirmed()) == 0);
					sampler.shutdown();
					sampler.awaitTermination(1, TimeUnit.MINUTES);
					sample(publisher, deliveries, lifecycle, () -> rabbit.messages(deadLetters));
					long deadLettered = rabbit.messages(deadLetters);
					int missing = deliveries.missing(publisher.confirmed());
					totals = new Totals(publisher.published(), deliveries.handled(), deliveries.duplicates(),
							deadLettered, Math.max(0, missing - (int) deadLettered), lifecycle.state().toString());
					System.out.println(totals);
				}
				application.close();
				String report = report(started, startLoad, Benchmarks.load(), rabbitVersion, postgresVersion, totals);
				Files.writeString(this.options.out().resolve("soak.md"), report);
				SoakChart.write(this.options.out().resolve("soak.png"), this.samples, this.faults,
						"event-listener soak, " + started.format(UTC) + ", " + this.options.duration().toMinutes()
								+ " min, " + this.options.rate() + " events/s, RabbitMQ " + rabbitVersion);
				return report;
			}
		}
		finally {
			database.drop();
			Runtime.getRuntime().removeShutdownHook(cleanUp);
		}
	}

	private Map<String, Object> settings() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("spring.rabbitmq.host", Rabbit.HOST);
		settings.put("spring.rabbitmq.port", SoakBroker.PORT);
		// README's advice: a stalled network is noticed in about 20 s
		settings.put("spring.rabbitmq.requested-heartbeat", "10s");
		// a cut database fails a handler in 2 s instead of Hikari's 30 s
		settings.put("spring.datasource.hikari.connection-timeout", "2000");
		settings.put("event-listener.outage.max-probe-interval", "2s");
		// a stopped listener is reported in the figures; exiting would end the soak
		settings.put("event-listener.error.on-limit", "stop");
		settings.put("logging.level.root", "warn");
		settings.put("logging.level.io.eventlistener", "info");
		return settings;
	}

	/**
	 * Inject the faults in turn until too little time is left for the next one to end
	 * (and the application to recover) before the run does.
	 */
	private void faults(SoakBroker broker, Rabbit rabbit, SoakProxy postgres, SoakPublisher publisher,
			Deliveries deliveries, String prefix) throws Exception {
		Duration every = this.options.faultEvery();
		for (int n = 1; every.multipliedBy(n)
			.plus(this.options.dbCut())
			.plusSeconds(30)
			.compareTo(this.options.duration()) <= 0; n++) {
			awaitElapsed(every.multipliedBy(n));
			double at = elapsedSeconds();
			String kind;
			String label;
			long began = System.nanoTime();
			switch ((n - 1) % 3) {
				case 0 -> {
					int closed = rabbit.closeConnections(prefix + ".");
					kind = "application's connections closed (" + closed + ")";
					label = "connections";
				}
				case 1 -> {
					broker.stopApp();
					Thread.sleep(this.options.brokerDown().toMillis());
					broker.startApp();
					kind = "broker stopped and started";
					label = "broker";
				}
				default -> {
					postgres.cut();
					Thread.sleep(this.options.dbCut().toMillis());
					postgres.restore();
					kind = "database cut";
					label = "database";
				}
			}
			double lasted = (System.nanoTime() - began) / 1e9;
			int firstAfter = publisher.next();
			long ended = System.nanoTime();
			await(Duration.ofMinutes(3), () -> deliveries.highest() >= firstAfter);
			double recovered = (System.nanoTime() - ended) / 1e9;
			Fault fault = new Fault(n, at, kind, label, lasted, recovered);
			synchronized (this.faults) {
				this.faults.add(fault);
			}
			log(String.format("fault %d at %.0f s: %s, lasted %.1f s; an event published after it handled %.1f s later",
					n, at, kind, lasted, recovered));
		}
	}

	private void sample(SoakPublisher publisher, Deliveries deliveries, EventListenerLifecycle lifecycle,
			java.util.function.LongSupplier deadLettered) {
		long dead;
		try {
			dead = deadLettered.getAsLong();
		}
		catch (RuntimeException ex) {
			dead = -1; // the broker is stopped
		}
		long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		System.gc();
		long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		int threads = ManagementFactory.getThreadMXBean().getThreadCount();
		int proxyThreads = (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(SoakProxy.THREAD_PREFIX))
			.count();
		Sample sample = new Sample(elapsedSeconds(), publisher.published(), deliveries.handled(),
				deliveries.missing(publisher.confirmed()), deliveries.duplicates(), dead, heapUsed / 1_048_576.0,
				heapAfterGc / 1_048_576.0, threads, threads - proxyThreads, lifecycle.state().toString());
		synchronized (this.samples) {
			this.samples.add(sample);
		}
		System.out.println(sample);
	}

	private String report(OffsetDateTime started, String startLoad, String endLoad, String rabbitVersion,
			String postgresVersion, Totals totals) {
		List<Sample> all;
		synchronized (this.samples) {
			all = List.copyOf(this.samples);
		}
		// the first sample is taken as the load starts: the baseline is the one after it
		Sample first = all.get(Math.min(1, all.size() - 1));
		Sample last = all.get(all.size() - 1);
		StringBuilder report = new StringBuilder();
		report.append("# event-listener soak run\n\n");
		report.append(String.format("- date: %s; %s of load (`--soak=%s`)%n", started.format(UTC),
				human(this.options.duration()), human(this.options.duration())));
		report.append(String.format(
				"- machine: %d cores shared with other builds; load average (1/5/15 min) at start " + "%s, at end %s%n",
				Runtime.getRuntime().availableProcessors(), startLoad, endLoad));
		report.append(String.format(
				"- versions: Java %s, RabbitMQ %s (own node %s), PostgreSQL %s, Spring AMQP %s, Spring Boot %s, "
						+ "RabbitMQ Java client %s%n",
				System.getProperty("java.version"), rabbitVersion, SoakBroker.NODE, postgresVersion,
				Message.class.getPackage().getImplementationVersion(), SpringBootVersion.getVersion(),
				ClientVersion.VERSION));
		report.append(String.format(
				"- load: %d persistent 1 KiB isimud events/s over %d observers, each confirmed; "
						+ "every handler runs `select 1` through the proxy first; heartbeat 10 s, Hikari connection "
						+ "timeout 2 s, otherwise default settings; -Xmx of the JVM %d MiB%n",
				this.options.rate(), this.options.observers(), Runtime.getRuntime().maxMemory() / 1_048_576));
		report.append(String.format(
				"- faults every %s, in turn: the application's broker connections closed "
						+ "(management API, by name), the broker stopped for %s and started (`rabbitmqctl stop_app` / "
						+ "`start_app`), the database cut for %s (TCP proxy closes and refuses its connections)%n%n",
				human(this.options.faultEvery()), human(this.options.brokerDown()), human(this.options.dbCut())));
		report.append("## Totals\n\n");
		report
			.append("| published (confirmed) | handled | duplicates | dead-lettered | lost | listener at the end |\n");
		report.append("| ---: | ---: | ---: | ---: | ---: | --- |\n");
		report.append(String.format("| %,d | %,d | %,d | %,d | %,d | %s |%n%n", totals.published(), totals.handled(),
				totals.duplicates(), totals.deadLettered(), totals.lost(), totals.state()));
		report.append("## Heap and threads\n\n");
		report.append("| | at %.0f s | at the end (%.0f s) | min | max |\n".formatted(first.seconds(), last.seconds()));
		report.append("| --- | ---: | ---: | ---: | ---: |\n");
		row(report, "heap after GC (MiB)", all, Sample::heapAfterGcMiB, "%.1f");
		row(report, "heap used before GC (MiB)", all, Sample::heapUsedMiB, "%.1f");
		row(report, "threads (JVM)", all, Sample::threads, "%.0f");
		row(report, "threads without the proxy's", all, Sample::applicationThreads, "%.0f");
		report.append("\n## Faults\n\n");
		report.append("| # | at (s) | fault | lasted (s) | fault over → an event published after it handled (s) |\n");
		report.append("| ---: | ---: | --- | ---: | ---: |\n");
		synchronized (this.faults) {
			for (Fault fault : this.faults) {
				report.append(String.format("| %d | %.0f | %s | %.1f | %.1f |%n", fault.number(), fault.seconds(),
						fault.kind(), fault.lasted(), fault.recovered()));
			}
		}
		report.append("\n## Over time\n\n");
		report.append("| t (s) | published | handled | duplicates | dead-lettered | heap after GC (MiB) | threads "
				+ "| listener |\n");
		report.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
		int step = Math.max(1, all.size() / 30);
		for (int i = 0; i < all.size(); i++) {
			if (i % step == 0 || i == all.size() - 1) {
				Sample sample = all.get(i);
				report.append(String.format("| %.0f | %,d | %,d | %,d | %s | %.1f | %d | %s |%n", sample.seconds(),
						sample.published(), sample.handled(), sample.duplicates(),
						(sample.deadLettered() >= 0) ? String.valueOf(sample.deadLettered()) : "(broker down)",
						sample.heapAfterGcMiB(), sample.threads(), sample.state()));
			}
		}
		report.append("\n![soak](soak.png)\n");
		return report.toString();
	}

	private static void row(StringBuilder report, String name, List<Sample> samples,
			java.util.function.ToDoubleFunction<Sample> figure, String format) {
		Sample first = samples.get(Math.min(1, samples.size() - 1));
		Sample last = samples.get(samples.size() - 1);
		double min = samples.stream().mapToDouble(figure).min().orElse(0);
		double max = samples.stream().mapToDouble(figure).max().orElse(0);
		report.append(String.format("| %s | " + format + " | " + format + " | " + format + " | " + format + " |%n",
				name, figure.applyAsDouble(first), figure.applyAsDouble(last), min, max));
	}

	private double elapsedSeconds() {
		return (System.nanoTime() - this.startNanos) / 1e9;
	}

	private void awaitElapsed(Duration elapsed) throws InterruptedException {
		long due = this.startNanos + elapsed.toNanos();
		for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
			TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
		}
	}

	private static void await(Duration atMost, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				log("gave up waiting after " + human(atMost));
				return;
			}
			Thread.sleep(100);
		}
	}

	private static String human(Duration duration) {
		long seconds = duration.toSeconds();
		return (seconds % 60 == 0 && seconds > 0) ? (seconds / 60) + "m" : seconds + "s";
	}

	private static void log(String line) {
		System.out.println("soak | " + line);
	}

	/**
	 * What a soak run does, from {@code --name=value} arguments.
	 *
	 * @param out where {@code soak.md} and {@code soak.png} go
	 * @param duration how long the load lasts ({@code --soak=30m})
	 * @param faultEvery how often a fault is injected ({@code --fault-every}, a tenth of
	 * the duration by default, at least 30 s)
	 * @param dbCut how long the database stays cut ({@code --db-cut}, 60 s for runs of 10
	 * minutes or more, else 20 s)
	 * @param brokerDown how long the broker stays stopped ({@code --broker-down}, 10 s)
	 * @param rate events per second ({@code --rate}, 50)
	 * @param observers observers the events are spread over ({@code --observers}, 10)
	 * @param every how often a sample is printed ({@code --every}, 10 s)
	 */
	record Options(Path out, Duration duration, Duration faultEvery, Duration dbCut, Duration brokerDown, int rate,
			int observers, Duration every) {

		static Options parse(String... args) {
			Map<String, String> values = new HashMap<>();
			// Maven passes -Dbenchmark.args="--a=1 --b=2" as one argument
			for (String arg : String.join(" ", args).trim().split("\\s+")) {
				if (!arg.isBlank()) {
					String[] pair = arg.replaceFirst("^--", "").split("=", 2);
					values.put(pair[0], (pair.length > 1) ? pair[1] : "true");
				}
			}
			Duration duration = duration(values.getOrDefault("soak", "30m"));
			Duration tenth = duration.dividedBy(10);
			Duration faultEvery = duration(values.getOrDefault("fault-every",
					human((tenth.compareTo(Duration.ofSeconds(30)) < 0) ? Duration.ofSeconds(30) : tenth)));
			Duration dbCut = duration(
					values.getOrDefault("db-cut", (duration.compareTo(Duration.ofMinutes(10)) >= 0) ? "60s" : "20s"));
			return new Options(Path.of(values.getOrDefault("out", "docs/benchmarks")), duration, faultEvery, dbCut,
					duration(values.getOrDefault("broker-down", "10s")),
					Integer.parseInt(values.getOrDefault("rate", "50")),
					Integer.parseInt(values.getOrDefault("observers", "10")),
					duration(values.getOrDefault("every", "10s")));
		}

		/** {@code 90s}, {@code 3m}, {@code 1h} or an ISO-8601 duration. */
		static Duration duration(String value) {
			if (value.startsWith("P") || value.startsWith("p")) {
				return Duration.parse(value);
			}
			long amount = Long.parseLong(value.substring(0, value.length() - 1));
			return switch (value.charAt(value.length() - 1)) {
				case 's' -> Duration.ofSeconds(amount);
				case 'm' -> Duration.ofMinutes(amount);
				case 'h' -> Duration.ofHours(amount);
				default -> throw new IllegalArgumentException("Not a duration: " + value + " (use 90s, 3m, 1h)");
			};
		}

	}

	/**
	 * One sample; {@code unhandled} counts the confirmed events not handled yet (in the
	 * queues, or lost if still missing when the queues have drained at the end).
	 */
	record Sample(double seconds, int published, long handled, int unhandled, long duplicates, long deadLettered,
			double heapUsedMiB, double heapAfterGcMiB, int threads, int applicationThreads, String state) {

		@Override
		public String toString() {
			return String
				.format("soak | %6.0f s | published %,7d | handled %,7d | not yet handled %,6d | dead-lettered %s "
						+ "| duplicates %,d | heap %.1f MiB (after GC %.1f) | threads %d (%d without the proxy's) | %s",
						this.seconds, this.published, this.handled, this.unhandled,
						(this.deadLettered >= 0) ? String.valueOf(this.deadLettered) : "?", this.duplicates,
						this.heapUsedMiB, this.heapAfterGcMiB, this.threads, this.applicationThreads, this.state);
		}

	}

	record Fault(int number, double seconds, String kind, String label, double lasted, double recovered) {

	}

	record Totals(int published, long handled, long duplicates, long deadLettered, int lost, String state) {

		@Override
		public String toString() {
			return String.format("soak | published %,d | handled %,d | dead-lettered %,d | lost %,d | duplicates %,d",
					this.published, this.handled, this.deadLettered, this.lost, this.duplicates);
		}

	}

}
