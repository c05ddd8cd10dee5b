package io.eventlistener.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;

/**
 * The floor: the observer topology (a durable queue per observer, bound to a topic
 * exchange by one routing key) declared, bound and consumed with the bare RabbitMQ client
 * as fast as this broker allows: declarations pipelined ({@code nowait}) over several
 * channels, then consumers started in parallel over channels of
 * {@code consumersPerChannel} consumers each (at most 2,000 channels per connection).
 * Reports the seconds of each part and the broker's channels and memory for channels and
 * consumers (from the management API), then deletes what it declared.
 * <p>
 * Arguments: queues consumersPerChannel [declareChannels] [consumerThreads]. Prints one
 * line: {@code queues cpc declareSeconds consumeSeconds channels connections
 * channelMemoryMiB totalMemoryDeltaMiB}.
 */
public final class RawFloor {

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private RawFloor() {
	}

	public static void main(String[] args) throws Exception {
		int queues = Integer.parseInt(args[0]);
		int perChannel = Integer.parseInt(args[1]);
		int declareChannels = (args.length > 2) ? Integer.parseInt(args[2]) : 32;
		int threads = (args.length > 3) ? Integer.parseInt(args[3]) : 32;
		Result result = run(queues, perChannel, declareChannels, threads);
		System.out.println(result);
	}

	static Result run(int queues, int perChannel, int declareChannels, int threads) throws Exception {
		String prefix = "elbench-floor-" + Long.toString(System.nanoTime(), 36);
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setAutomaticRecoveryEnabled(false);
		factory.setRequestedChannelMax(2047);
		List<String> names = new ArrayList<>();
		for (int i = 1; i <= queues; i++) {
			names.add(prefix + ".q." + i);
		}
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Connection> connections = new ArrayList<>();
		try (Connection declaring = factory.newConnection(prefix + ".declare")) {
			long before = memory("connection_channels");
			long totalBefore = memory("total_rss");
			String exchange = prefix + ".events";
			long start = System.nanoTime();
			try (Channel channel = declaring.createChannel()) {
				channel.exchangeDeclare(exchange, "topic", true);
			}
			List<Future<?>> work = new ArrayList<>();
			for (int c = 0; c < declareChannels; c++) {
				int first = c;
				work.add(pool.submit(() -> {
					Channel channel = declaring.createChannel();
					String last = null;
					for (int i = first; i < names.size(); i += declareChannels) {
						last = names.get(i);
						channel.queueDeclareNoWait(last, true, false, false, null);
						channel.queueBindNoWait(last, exchange, "Subscriber.*", null);
					}
					if (last != null) {
						// fence: answered after every nowait method before it
						channel.queueDeclarePassive(last);
					}
					channel.close();
					return null;
				}));
			}
			for (Future<?> future : work) {
				future.get();
			}
			double declareSeconds = (System.nanoTime() - start) / 1e9;
			start = System.nanoTime();
			int channelCount = (queues + perChannel - 1) / perChannel;
			List<Channel> channels = new ArrayList<>();
			for (int c = 0; c < channelCount; c++) {
				if (c % 2000 == 0) {
					connections.add(factory.newConnection(prefix + ".consumers#" + connections.size()));
				}
				Channel channel = connections.get(connections.size() - 1).createChannel();
				channel.basicQos(250, false);
				channels.add(channel);
			}
			work.clear();
			for (int c = 0; c < channelCount; c++) {
				Channel channel = channels.get(c);
				int from = c * perChannel;
				int to = Math.min(queues, from + perChannel);
				work.add(pool.submit(() -> {
					for (int i = from; i < to; i++) {
						channel.basicConsume(names.get(i), false, new DefaultConsumer(channel));
					}
					return null;
				}));
			}
			for (Future<?> future : work) {
				future.get();
			}
			double consumeSeconds = (System.nanoTime() - start) / 1e9;
			double channelMiB = (memory("connection_channels") - before) / (1024.0 * 1024);
			double totalMiB = (memory("total_rss") - totalBefore) / (1024.0 * 1024);
			Result result = new Result(queues, perChannel, declareSeconds, consumeSeconds, channelCount,
					connections.size(), channelMiB, totalMiB);
			for (Connection connection : connections) {
				connection.close();
			}
			connections.clear();
			try (Channel channel = declaring.createChannel()) {
				for (String name : names) {
					channel.queueDeleteNoWait(name, false, false);
				}
				channel.exchangeDelete(exchange);
			}
			return result;
		}
		finally {
			for (Connection connection : connections) {
				if (connection.isOpen()) {
					connection.close();
				}
			}
			pool.shutdownNow();
		}
	}

	/**
	 * A memory figure of the (first) broker node, in bytes: a key of its memory breakdown
	 * ({@code connection_channels}) or {@code total_rss}.
	 */
	static long memory(String key) throws IOException, InterruptedException {
		String nodes = get("/api/nodes?columns=name");
		Matcher name = Pattern.compile("\"name\":\"([^\"]+)\"").matcher(nodes);
		if (!name.find()) {
			throw new IllegalStateException("No node in " + nodes);
		}
		String memory = get("/api/nodes/" + URLEncoder.encode(name.group(1), StandardCharsets.UTF_8) + "/memory");
		String field = key.equals("total_rss") ? "rss" : key;
		Matcher value = Pattern.compile("\"" + field + "\":(\\d+)").matcher(memory);
		if (!value.find()) {
			throw new IllegalStateException("No " + field + " in " + memory);
		}
		return Long.parseLong(value.group(1));
	}

	private static String get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:15672" + path))
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	/**
	 * One floor run.
	 *
	 * @param queues observer queues
	 * @param perChannel consumers per channel
	 * @param declareSeconds declaring and binding every queue
	 * @param consumeSeconds starting every consumer (all consume-ok received)
	 * @param channels the broker's channels of this run
	 * @param connections the broker's connections of this run
	 * @param channelMiB the broker's memory for connection channels (consumers live
	 * there) after consuming, less before
	 * @param totalMiB the broker's total memory after consuming, less before
	 */
	record Result(int queues, int perChannel, double declareSeconds, double consumeSeconds, int channels,
			int connections, double channelMiB, double totalMiB) {

		@Override
		public String toString() {
			return String.format("%d %d %.2f %.2f %d %d %.1f %.1f", this.queues, this.perChannel, this.declareSeconds,
					this.consumeSeconds, this.channels, this.connections, this.channelMiB, this.totalMiB);
		}

	}

}
