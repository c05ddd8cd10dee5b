package io.eventlistener.sample;

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

	private final RestClient http;

	SampleApi(int port) {
		this.http = RestClient.builder().baseUrl("http://127.0.0.1:" + port).build();
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

	void deleteSubscription(long id) {
		this.http.delete().uri("/subscriptions/{id}", id).retrieve().toBodilessEntity();
	}

	String publish(String eventfulType, String eventfulId, String action) {
		return post("/events", Map.of("eventfulType", eventfulType, "eventfulId", eventfulId, "action", action))
			.get("routingKey")
			.asString();
	}

	List<String> deliveries(long subscriptionId) {
		return get("/subscriptions/" + subscriptionId + "/deliveries").valueStream()
			.map((delivery) -> delivery.get("routingKey").asString())
			.toList();
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
