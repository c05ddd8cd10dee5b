package io.eventlistener.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.benchmarks.app.DeliveryRecorder;
import io.eventlistener.benchmarks.app.Subscriber;
import io.eventlistener.registry.ObserverConsumers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Consumer throughput and latency, the three contenders on one broker, one after the
 * other within each round: RabbitMQ PerfTest (a child JVM), a plain Spring AMQP
 * {@link DirectMessageListenerContainer} on one queue, and the starter with events spread
 * over 1, 100 and 1,000 observers. Every one consumes the same 1 KiB persistent JSON
 * events with prefetch 250 and one acknowledgement per message.
 * <p>
 * Throughput is measured by draining filled queues: their consumers are stopped, the
 * queues filled, the consumers started again; the rate counts from the first delivery to
 * the last (for PerfTest: the median of its whole one-second intervals), so consumer
 * start-up is left out for all three. The starter's application holds the largest
 * observer count throughout; with fewer, the events go to the first observers and only
 * their consumers are paused, the others stay consuming, idle.
 */
final class ThroughputBenchmark implements AutoCloseable {

	static final int PREFETCH = 250;

	private static final Pattern INTERVAL = Pattern.compile("time (\\d+\\.\\d+) s, received: (\\d+) msg/s");

	private static final Pattern AVERAGE = Pattern.compile("receiving rate avg: (\\d+) msg/s");

	private final Settings settings;

	private final Rabbit rabbit;

	private final String prefix;

	private final Database database;

	private final ConfigurableApplicationContext application;

	private final DeliveryRecorder starter;

	private final ObserverConsumers consumers;

	private final CachingConnectionFactory plainConnection;

	private final DirectMessageListenerContainer plain;

	private final DeliveryRecorder plainRecorder = new DeliveryRecorder();

	ThroughputBenchmark(Settings settings, Rabbit rabbit, String prefix) throws IOException {
		this.settings = settings;
		this.rabbit = rabbit;
		this.prefix = prefix;
		this.database = new Database(prefix);
		this.database.create(Subscriber.DDL);
		this.database.observers(settings.maxObservers());
		this.application = BenchApplication.start(this.database.jdbcUrl(), prefix,
				Map.of("event-listener.consumer.prefetch", PREFETCH, "logging.level.root", "warn"));
		this.starter = this.application.getBean(DeliveryRecorder.class);
		this.consumers = this.application.getBean(EventListenerAssembly.class).consumers();
		rabbit.channel().queueDeclare(plainQueue(), true, false, false, null);
		rabbit.channel().queueDeclare(perfTestQueue(), true, false, false, null);
		this.plainConnection = new CachingConnectionFactory(Rabbit.HOST);
		this.plain = plainContainer();
	}

	/**
	 * One round: each contender drains {@code messages} events once.
	 * @return events per second by contender
	 */
	Map<String, Double> round() throws Exception {
		Map<String, Double> rates = new LinkedHashMap<>();
		rates.put("PerfTest", perfTest());
		rates.put("plain", plainRate());
		for (int observers : this.settings.observerCounts()) {
			rates.put("starter-" + observers, starterRate(observers));
		}
		return rates;
	}

	/**
	 * Publish at a fixed rate to running consumers and record publish-to-handler latency.
	 * @return sorted latencies in nanoseconds by contender
	 */
	Map<String, long[]> latencies() throws Exception {
		Map<String, long[]> latencies = new LinkedHashMap<>();
		int count = (int) (this.settings.latencyRate() * this.settings.latencySeconds());
		this.plain.start();
		Thread.sleep(1000); // the consumer starts asynchronously
		this.plainRecorder.reset(count);
		paced(count, "", (i) -> plainQueue());
		await(this.plainRecorder, count);
		latencies.put("plain", this.plainRecorder.sortedLatencies());
		this.plain.stop();
		for (int observers : this.settings.observerCounts()) {
			this.starter.reset(count);
			paced(count, this.prefix + ".events", (i) -> Subscriber.routingKey(1 + i % observers));
			await(this.starter, count);
			latencies.put("starter-" + observers, this.starter.sortedLatencies());
		}
		return latencies;
	}

	private double perfTest() throws Exception {
		int messages = this.settings.messages();
		this.rabbit.fill(messages, "", (i) -> perfTestQueue(), (i) -> Events.body(i, -1));
		List<String> command = List.of(javaExecutable(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				"com.rabbitmq.perf.PerfTest", "-h", "amqp://guest:guest@" + Rabbit.HOST, "-x", "0", "-y", "1", "-u",
				perfTestQueue(), "-p", "-q", String.valueOf(PREFETCH), "-D", String.valueOf(messages));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<Double> intervals = new ArrayList<>();
		double average = 0;
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				output.append(line).append('\n');
				Matcher interval = INTERVAL.matcher(line);
				if (interval.find()) {
					intervals.add(Double.parseDouble(interval.group(2)));
				}
				Matcher avg = AVERAGE.matcher(line);
				if (avg.find()) {
					average = Double.parseDouble(avg.group(1));
				}
			}
		}
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || average == 0) {
			throw new IllegalStateException("PerfTest failed:\n" + output);
		}
		// whole intervals only: the first holds the consumer's start, the last is partial
		return (intervals.size() >= 3) ? Stats.median(intervals.subList(1, intervals.size() - 1)) : average;
	}

	private double plainRate() throws Exception {
		int messages = this.settings.messages();
		this.rabbit.fill(messages, "", (i) -> plainQueue(), (i) -> Events.body(i, -1));
		this.plainRecorder.reset(0);
		this.plain.start();
		await(this.plainRecorder, messages);
		this.plain.stop();
		return this.plainRecorder.rate();
	}

	private double starterRate(int observers) throws Exception {
		int messages = this.settings.messages();
		// pause only the observers the events go to; the others stay consuming, idle
		List<String> queues = IntStream.rangeClosed(1, observers)
			.mapToObj((id) -> this.prefix + ".subscriber." + id)
			.toList();
		queues.forEach(this.consumers::cancel);
		this.rabbit.fill(messages, this.prefix + ".events", (i) -> Subscriber.routingKey(1 + i % observers),
				(i) -> Events.body(i, -1));
		this.starter.reset(0);
		this.consumers.consumeAll(queues);
		await(this.starter, messages);
		return this.starter.rate();
	}

	private DirectMessageListenerContainer plainContainer() {
		JsonMapper mapper = JsonMapper.builder().build();
		DirectMessageListenerContainer container = new DirectMessageListenerContainer(this.plainConnection);
		container.setQueueNames(plainQueue());
		container.setPrefetchCount(PREFETCH);
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setAutoStartup(false);
		container.setMessageListener((message) -> {
			JsonNode event = mapper.readTree(message.getBody());
			this.plainRecorder.delivered(Long.parseLong(event.get("session_id").asString()));
		});
		container.afterPropertiesSet();
		return container;
	}

	private void paced(int count, String exchange, java.util.function.LongFunction<String> routingKey)
			throws IOException {
		long interval = 1_000_000_000L / this.settings.latencyRate();
		long next = System.nanoTime();
		for (int i = 0; i < count; i++) {
			LockSupport.parkNanos(next - System.nanoTime());
			this.rabbit.channel()
				.basicPublish(exchange, routingKey.apply(i), com.rabbitmq.client.MessageProperties.PERSISTENT_BASIC,
						Events.body(i, System.nanoTime()));
			next += interval;
		}
	}

	private static void await(DeliveryRecorder recorder, long count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		while (recorder.count() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + recorder.count() + " of " + count + " events arrived");
			}
			Thread.sleep(2);
		}
	}

	private String plainQueue() {
		return this.prefix + ".plain";
	}

	private String perfTestQueue() {
		return this.prefix + ".perftest";
	}

	static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	@Override
	public void close() throws IOException {
		this.plain.stop();
		this.plain.destroy();
		this.plainConnection.destroy();
		this.application.close();
		this.rabbit.deleteNamespace(this.prefix);
		this.database.drop();
	}

}
