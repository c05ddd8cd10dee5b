package io.eventlistener.testsupport;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the broker's state through the RabbitMQ management HTTP API, so tests assert what
 * the broker really holds (bindings, consumers, messages) rather than what the client
 * believes.
 */
public final class BrokerManagement {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String base;

	/**
	 * The management API of the machine's broker.
	 */
	public BrokerManagement() {
		this(RabbitBroker.RABBITMQ_3);
	}

	/**
	 * The management API of the given broker.
	 * @param rabbit the broker
	 */
	public BrokerManagement(RabbitBroker rabbit) {
		this.base = "http://" + rabbit.host() + ":" + rabbit.managementPort() + "/api";
	}

	/**
	 * The routing keys a queue is bound with on an exchange.
	 */
	public Set<String> bindings(String queue, String exchange) {
		Set<String> keys = new HashSet<>();
		for (JsonNode binding : get("/queues/%2F/" + encode(queue) + "/bindings").orElseThrow()) {
			if (exchange.equals(binding.get("source").asString())) {
				keys.add(binding.get("routing_key").asString());
			}
		}
		return keys;
	}

	/**
	 * A queue's state, or empty if the broker has no such queue.
	 */
	public Optional<QueueState> queue(String queue) {
		return get("/queues/%2F/" + encode(queue)).map((node) -> new QueueState(node.path("consumers").asInt(0),
				node.path("messages").asInt(0), node.path("messages_ready").asInt(0)));
	}

	/**
	 * The prefetch of each consumer of a queue, as the broker holds it.
	 */
	public List<Integer> consumerPrefetches(String queue) {
		List<Integer> prefetches = new ArrayList<>();
		get("/queues/%2F/" + encode(queue)).ifPresent((node) -> node.path("consumer_details")
			.forEach((consumer) -> prefetches.add(consumer.path("prefetch_count").asInt(-1))));
		return prefetches;
	}

	/**
	 * A queue's type and declaration arguments as the broker holds them, or empty if the
	 * broker has no such queue. RabbitMQ 4.0 lists {@code x-queue-type: classic} among
	 * the arguments of a classic queue declared without it; it is left out, as on 3.10
	 * (the type says it).
	 */
	public Optional<QueueDeclaration> declaration(String queue) {
		return get("/queues/%2F/" + encode(queue)).map((node) -> {
			Map<String, Object> arguments = new HashMap<>();
			node.path("arguments")
				.properties()
				.forEach((entry) -> arguments.put(entry.getKey(),
						entry.getValue().isNumber() ? entry.getValue().asInt() : entry.getValue().asString()));
			arguments.remove("x-queue-type", "classic");
			return new QueueDeclaration(node.path("type").asString(), arguments);
		});
	}

	/**
	 * Queue names that start with a prefix.
	 */
	public Set<String> queueNames(String prefix) {
		Set<String> names = new HashSet<>();
		for (JsonNode queue : get("/queues/%2F?columns=name").orElseThrow()) {
			String name = queue.get("name").asString();
			if (name.startsWith(prefix)) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * The consumer count of every queue whose name starts with a prefix, in one request.
	 */
	public Map<String, Integer> consumersByQueue(String prefix) {
		Map<String, Integer> consumers = new HashMap<>();
		for (JsonNode queue : get("/queues/%2F?columns=name,consumers").orElseThrow()) {
			String name = queue.get("name").asString();
			if (name.startsWith(prefix)) {
				consumers.put(name, queue.path("consumers").asInt(0));
			}
		}
		return consumers;
	}

	/**
	 * The channel count of every open connection whose client-given name starts with a
	 * prefix, by that name.
	 */
	public Map<String, Integer> channelsByConnection(String namePrefix) {
		Map<String, Integer> channels = new HashMap<>();
		for (JsonNode connection : get("/connections?columns=channels,client_properties").orElseThrow()) {
			String name = connection.path("client_properties").path("connection_name").asString("");
			if (name.startsWith(namePrefix)) {
				channels.put(name, connection.path("channels").asInt(0));
			}
		}
		return channels;
	}

	/**
	 * Have the broker close every client connection whose client-provided name starts
	 * with a prefix, as {@code rabbitmqctl close_connection} does.
	 * @return how many were closed
	 */
	public int closeConnections(String namePrefix) {
		int closed = 0;
		for (JsonNode connection : get("/connections?columns=name,user_provided_name").orElseThrow()) {
			if (connection.path("user_provided_name").asString("").startsWith(namePrefix)) {
				send(HttpRequest.newBuilder(uri("/connections/" + encode(connection.get("name").asString())))
					.header("X-Reason", "fault injected by a test")
					.DELETE());
				closed++;
			}
		}
		return closed;
	}

	/**
	 * Delete a queue (and the messages in it) through the management API, as an operator
	 * or another application would.
	 */
	public void deleteQueue(String queue) {
		send(HttpRequest.newBuilder(uri("/queues/%2F/" + encode(queue))).DELETE());
	}

	private Optional<JsonNode> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	private URI uri(String path) {
		return URI.create(this.base + path);
	}

	private Optional<JsonNode> send(HttpRequest.Builder builder) {
		String path = builder.build().uri().getPath();
		HttpRequest request = builder
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
			.build();
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() == 404) {
				return Optional.empty();
			}
			if (response.statusCode() == 204) {
				return Optional.empty();
			}
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Management API " + path + " answered " + response.statusCode());
			}
			return Optional.of(json.readTree(response.body()));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Management API " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String name) {
		return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/**
	 * What the broker reports for a queue.
	 *
	 * @param consumers consumers on it
	 * @param messages messages in it (ready and unacknowledged)
	 * @param ready messages ready for delivery
	 */
	public record QueueState(int consumers, int messages, int ready) {
	}

	/**
	 * How the broker holds a queue.
	 *
	 * @param type {@code classic} or {@code quorum}
	 * @param arguments its {@code x-} arguments
	 */
	public record QueueDeclaration(String type, Map<String, Object> arguments) {
	}

}
