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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's own access to the broker: a raw client connection that fills queues
 * (persistent, confirmed) and deletes them (pipelined), and the management API for what
 * the broker reports.
 */
final class Rabbit implements AutoCloseable {

	static final String HOST = "127.0.0.1";

	private static final JsonMapper json = JsonMapper.builder().build();

	// HTTP/1.1: an h2c upgrade made the management API answer GOAWAY mid-run
	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final int managementPort;

	private final Connection connection;

	private final Channel channel;

	/**
	 * The local broker: AMQP on 5672, management API on 15672.
	 */
	Rabbit() throws IOException, TimeoutException {
		this(5672, 15672);
	}

	/**
	 * A broker on this machine on other ports (the soak's own node).
	 */
	Rabbit(int port, int managementPort) throws IOException, TimeoutException {
		this.managementPort = managementPort;
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(HOST);
		factory.setPort(port);
		// a broker busy with other work took longer than the client's 10 s handshake
		factory.setHandshakeTimeout(60_000);
		this.connection = factory.newConnection("event-listener-benchmark");
		this.channel = this.connection.createChannel();
		this.channel.confirmSelect();
	}

	Channel channel() {
		return this.channel;
	}

	/**
	 * Publish persistent messages and wait for the broker's confirms, a batch at a time.
	 * @param count how many
	 * @param exchange the exchange ("" for the default exchange)
	 * @param routingKey the routing key of message {@code i}
	 * @param body the body of message {@code i}
	 */
	void fill(int count, String exchange, LongFunction<String> routingKey, LongFunction<byte[]> body)
			throws IOException, InterruptedException, TimeoutException {
		fill(count, exchange, routingKey, body, null);
	}

	/**
	 * Publish persistent messages, each with a {@code message_id} when {@code messageId}
	 * is given, and wait for the broker's confirms.
	 */
	void fill(int count, String exchange, LongFunction<String> routingKey, LongFunction<byte[]> body,
			@Nullable LongFunction<String> messageId) throws IOException, InterruptedException, TimeoutException {
		AMQP.BasicProperties persistent = MessageProperties.PERSISTENT_BASIC;
		for (int i = 0; i < count; i++) {
			AMQP.BasicProperties properties = (messageId != null)
					? persistent.builder().messageId(messageId.apply(i)).build() : persistent;
			this.channel.basicPublish(exchange, routingKey.apply(i), properties, body.apply(i));
			if (i % 2000 == 1999) {
				this.channel.waitForConfirmsOrDie(60_000);
			}
		}
		this.channel.waitForConfirmsOrDie(60_000);
	}

	/**
	 * Delete queues with pipelined no-wait deletes and one round-trip per thousand.
	 */
	void deleteQueues(List<String> queues) throws IOException {
		try (Channel deleter = this.connection.createChannel()) {
			for (int i = 0; i < queues.size(); i++) {
				deleter.queueDeleteNoWait(queues.get(i), false, false);
				if (i % 1000 == 999 || i == queues.size() - 1) {
					deleter.basicQos(0);
				}
			}
		}
		catch (TimeoutException ex) {
			throw new IOException(ex);
		}
	}

	/**
	 * Delete what an application with this queue prefix declared: its queues and its
	 * exchanges ({@code prefix.events}, {@code prefix.models},
	 * {@code prefix.dead-letter}).
	 */
	void deleteNamespace(String prefix) throws IOException {
		deleteQueues(queueNames(prefix + "."));
		for (String exchange : List.of("events", "models", "dead-letter")) {
			this.channel.exchangeDelete(prefix + "." + exchange);
		}
	}

	/**
	 * Names of the queues that start with a prefix.
	 */
	List<String> queueNames(String prefix) {
		List<String> names = new ArrayList<>();
		for (JsonNode queue : get("/queues/%2F?columns=name")) {
			String name = queue.get("name").asString();
			if (name.startsWith(prefix)) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * How many queues with a prefix have exactly one consumer, and how many there are.
	 */
	int[] queuesWithOneConsumer(String prefix) {
		int total = 0;
		int one = 0;
		for (JsonNode queue : get("/queues/%2F?columns=name,consumers")) {
			if (queue.get("name").asString().startsWith(prefix)) {
				total++;
				if (queue.path("consumers").asInt(0) == 1) {
					one++;
				}
			}
		}
		return new int[] { one, total };
	}

	/**
	 * Connections whose client-given name starts with a prefix, and their channels.
	 */
	int[] connectionsAndChannels(String namePrefix) {
		int connections = 0;
		int channels = 0;
		for (JsonNode connection : get("/connections?columns=channels,client_properties")) {
			if (connection.path("client_properties").path("connection_name").asString("").startsWith(namePrefix)) {
				connections++;
				channels += connection.path("channels").asInt(0);
			}
		}
		return new int[] { connections, channels };
	}

	/**
	 * Connections, channels and consumers by the value of a client property the
	 * connections carry (the benchmark instance they belong to); connections without it
	 * are left out.
	 * @param property the client property
	 * @return by its value: connections, channels, consumers
	 */
	Map<String, int[]> byClientProperty(String property) {
		Map<String, String> owners = new HashMap<>();
		Map<String, int[]> figures = new TreeMap<>();
		for (JsonNode connection : get("/connections?columns=name,channels,client_properties")) {
			String owner = connection.path("client_properties").path(property).asString("");
			if (!owner.isEmpty()) {
				owners.put(connection.get("name").asString(), owner);
				int[] counts = figures.computeIfAbsent(owner, (key) -> new int[3]);
				counts[0]++;
				counts[1] += connection.path("channels").asInt(0);
			}
		}
		for (JsonNode channel : get("/channels?columns=consumer_count,connection_details")) {
			String owner = owners.get(channel.path("connection_details").path("name").asString(""));
			if (owner != null) {
				figures.get(owner)[2] += channel.path("consumer_count").asInt(0);
			}
		}
		return figures;
	}

	/**
	 * The queues with a prefix: how many have exactly one consumer, how many there are,
	 * and how many consumers they have in all.
	 */
	int[] queueConsumers(String prefix) {
		int[] figures = new int[3];
		for (JsonNode queue : get("/queues/%2F?columns=name,consumers")) {
			if (queue.get("name").asString().startsWith(prefix)) {
				int consumers = queue.path("consumers").asInt(0);
				figures[0] += (consumers == 1) ? 1 : 0;
				figures[1]++;
				figures[2] += consumers;
			}
		}
		return figures;
	}

	/**
	 * Have the broker close the connections whose client-given name starts with a prefix
	 * (as an operator would, through the management API).
	 * @return how many it closed
	 */
	int closeConnections(String namePrefix) {
		int closed = 0;
		for (JsonNode connection : get("/connections?columns=name,client_properties")) {
			if (connection.path("client_properties").path("connection_name").asString("").startsWith(namePrefix)) {
				String name = URLEncoder.encode(connection.get("name").asString(), StandardCharsets.UTF_8)
					.replace("+", "%20");
				send(request("/connections/" + name).header("X-Reason", "soak: connections closed").DELETE());
				closed++;
			}
		}
		return closed;
	}

	/**
	 * The messages in a queue, or -1 if there is no such queue.
	 */
	long messages(String queue) {
		String name = URLEncoder.encode(queue, StandardCharsets.UTF_8);
		JsonNode node = send(request("/queues/%2F/" + name + "?columns=messages").GET());
		return (node != null) ? node.path("messages").asLong(0) : -1;
	}

	String version() {
		return get("/overview").path("rabbitmq_version").asString("?");
	}

	private JsonNode get(String path) {
		JsonNode node = send(request(path).GET());
		if (node == null) {
			throw new IllegalStateException("Management API " + path + " answered 404");
		}
		return node;
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + this.managementPort + "/api" + path))
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Return the answer's JSON, an empty object for 204, or {@code null} for 404.
	 * @return the answer's JSON, an empty object for 204, or {@code null} for 404
	 */
	private @Nullable JsonNode send(HttpRequest.Builder builder) {
		HttpRequest request = builder.build();
		String path = request.uri().getPath();
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() == 404) {
				return null;
			}
			if (response.statusCode() == 204) {
				return json.createObjectNode();
			}
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Management API " + path + " answered " + response.statusCode());
			}
			return json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Management API " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.connection.close();
	}

}
