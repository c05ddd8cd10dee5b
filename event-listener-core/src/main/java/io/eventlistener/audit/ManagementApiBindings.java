package io.eventlistener.audit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.eventlistener.logging.LogSanitizer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * {@link BrokerBindings} from RabbitMQ's management HTTP API ({@code GET
 * /api/bindings/{vhost}}), with the JDK's HTTP client: one request for every binding of
 * the virtual host, filtered here. Needs the management plugin and a user allowed to read
 * the virtual host (the {@code monitoring} tag, or {@code management} with permissions on
 * it).
 */
public final class ManagementApiBindings implements BrokerBindings {

	private final HttpClient http;

	private final URI bindings;

	private final String authorization;

	private final Duration timeout;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * The bindings of the application's virtual host, read as the given user or, without
	 * one, as the application's connections log in.
	 * @param baseUrl the management API's base URL
	 * @param connectionFactory the application's connections
	 * @param username the management user, or {@code null} for the connections' user
	 * @param password its password, or {@code null} for the connections' password
	 * @param timeout how long to wait for the connection and for the answer
	 * @return the bindings
	 */
	public static ManagementApiBindings of(String baseUrl, ConnectionFactory connectionFactory,
			@Nullable String username, @Nullable String password, Duration timeout) {
		return new ManagementApiBindings(baseUrl, connectionFactory.getVirtualHost(),
				(username != null) ? username : connectionFactory.getUsername(),
				(password != null) ? password : connectionPassword(connectionFactory), timeout);
	}

	private static String connectionPassword(ConnectionFactory connectionFactory) {
		if (connectionFactory instanceof AbstractConnectionFactory factory) {
			return factory.getRabbitConnectionFactory().getPassword();
		}
		return "";
	}

	/**
	 * Create a new {@code ManagementApiBindings}.
	 * @param baseUrl the management API's base URL, such as
	 * {@code http://rabbit.internal:15672}
	 * @param virtualHost the virtual host of the observer queues
	 * @param username the management user
	 * @param password its password
	 * @param timeout how long to wait for the connection and for the answer
	 */
	public ManagementApiBindings(String baseUrl, String virtualHost, String username, String password,
			Duration timeout) {
		String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		this.bindings = URI.create(base + "/api/bindings/" + encode(virtualHost));
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	@Override
	public List<QueueBinding> queueBindings(String queuePrefix) {
		String start = queuePrefix + ".";
		List<QueueBinding> found = new ArrayList<>();
		for (JsonNode binding : get()) {
			String source = binding.path("source").asString("");
			String queue = binding.path("destination").asString("");
			if (!source.isEmpty() && "queue".equals(binding.path("destination_type").asString(""))
					&& queue.startsWith(start)) {
				found.add(new QueueBinding(queue, source, binding.path("routing_key").asString("")));
			}
		}
		return found;
	}

	private JsonNode get() {
		HttpRequest request = HttpRequest.newBuilder(this.bindings)
			.header("Authorization", this.authorization)
			.timeout(this.timeout)
			.GET()
			.build();
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("management API " + LogSanitizer.sanitize(this.bindings)
						+ " answered HTTP " + response.statusCode());
			}
			JsonNode body = this.json.readTree(response.body());
			if (!body.isArray()) {
				throw new IllegalStateException(
						"management API " + LogSanitizer.sanitize(this.bindings) + " did not answer a JSON array");
			}
			return body;
		}
		catch (IOException | JacksonException ex) {
			throw new IllegalStateException("management API " + LogSanitizer.sanitize(this.bindings) + " failed: "
					+ LogSanitizer.sanitize(ex.getMessage()), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while asking the management API", ex);
		}
	}

	private static String encode(String virtualHost) {
		return URLEncoder.encode(virtualHost, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
