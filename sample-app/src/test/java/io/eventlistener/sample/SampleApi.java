package io.eventlistener.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The sample application's HTTP API as its tests call it: the REST resources and the
 * actuator endpoints, read as JSON.
 */
final class SampleApi {

	private static final HttpClient RAW = HttpClient.newHttpClient();

	private final String baseUrl;

	private final RestClient http;

	SampleApi(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
		this.http = RestClient.builder().baseUrl(this.baseUrl).build();
	}

	long createSubscription(String name, String... routingKeys) {
		return post("/subscriptions", Map.of("name", name, "routingKeys", List.of(routingKeys))).get("id").asLong();
	}

	JsonNode changeSubscription(long id, Map<String, Object> change) {
		return this.http.patch()
			.uri("/subscriptions/{id}", id)
			.contentType(MediaType.APPLICATION_JSON)
			.body(change)
			.retrieve()
			.body(JsonNode.class);
	}

	/**
	 * Take a subscription's webhook down, or bring it up again.
	 * @param id the subscription
	 * @param up whether its webhook is up
	 */
	void webhook(long id, boolean up) {
		this.http.put()
			.uri("/subscriptions/{id}/webhook", id)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("up", up))
			.retrieve()
			.toBodilessEntity();
	}

	void deleteSubscription(long id) {
		this.http.delete().uri("/subscriptions/{id}", id).retrieve().toBodilessEntity();
	}

	String publish(String eventfulType, String eventfulId, String action) {
		return post("/events", Map.of("eventfulType", eventfulType, "eventfulId", eventfulId, "action", action))
			.get("routingKey")
			.asString();
	}

	JsonNode request(String eventfulType, String eventfulId, String action) {
		return post("/events/requests",
				Map.of("eventfulType", eventfulType, "eventfulId", eventfulId, "action", action));
	}

	/**
	 * POST a body exactly as given, the way curl would, and return the raw answer.
	 * @param path the path
	 * @param body the body, sent as {@code application/json}
	 * @return the status, content type and body
	 */
	HttpResponse<String> postRaw(String path, String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			return RAW.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	List<String> deliveries(long subscriptionId) {
		return get("/subscriptions/" + subscriptionId + "/deliveries").valueStream()
			.map((delivery) -> delivery.get("routingKey").asString())
			.toList();
	}

	/**
	 * A subscription's figures as the live page reads them ({@code GET /live/observers}).
	 */
	JsonNode liveFigures(long id) {
		return get("/live/observers").valueStream()
			.filter((observer) -> observer.get("id").asLong() == id)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No figures for subscription " + id));
	}

	long deadLettersWaiting() {
		return get("/actuator/eventlistenerdeadletters").get("waiting").asLong();
	}

	/**
	 * Replay every dead letter, as the live page's button does.
	 * @return what was moved, skipped and failed
	 */
	JsonNode replayDeadLetters() {
		return post("/actuator/eventlistenerdeadletters", Map.of());
	}

	JsonNode get(String path) {
		return this.http.get().uri(path).retrieve().body(JsonNode.class);
	}

	/**
	 * The observers of a type the {@code eventlistener} endpoint reports, by id.
	 */
	JsonNode registeredObservers() {
		return get("/actuator/eventlistener").get("observers").get("Subscription");
	}

	boolean isRegistered(long id) {
		return registeredObservers().get("observers")
			.valueStream()
			.anyMatch((observer) -> observer.get("id").asString().equals(String.valueOf(id)));
	}

	private JsonNode post(String path, Object body) {
		return this.http.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.body(JsonNode.class);
	}

}
