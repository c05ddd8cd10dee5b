package io.eventlistener.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application end to end over HTTP, as docs/reference/sample-app.md shows it:
 * a subscription created through the API is live at once, a matching event becomes a
 * delivery, and changing or deleting the subscription changes what it receives. Health,
 * the {@code eventlistener} endpoint and the meters report what the registry holds. Run
 * against the embedded broker and H2, and against RabbitMQ and PostgreSQL.
 *
 */
abstract class SubscriptionFlowTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private SampleApi api;

	/**
	 * The port the application's web server listens on.
	 * @return the port
	 */
	abstract int port();

	/**
	 * The running application.
	 * @return its context
	 */
	abstract ApplicationContext context();

	@BeforeEach
	void api() {
		this.api = new SampleApi(port());
	}

	@Test
	void subscriptionCreatedChangedAndDeletedThroughTheApiFollowsLive() {
		long invoices = this.api.createSubscription("invoices", "model.Invoice.*.create");
		await().atMost(TIMEOUT).until(() -> this.api.isRegistered(invoices));

		this.api.publish("Invoice", "7", "create");
		this.api.publish("Order", "7", "create");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.api.deliveries(invoices)).containsExactly("model.Invoice.7.create"));

		this.api.changeSubscription(invoices, Map.of("routingKeys", List.of("model.Invoice.*.paid")));
		await().atMost(TIMEOUT)
			.until(() -> routingKeys(invoices), (keys) -> keys.equals(List.of("model.Invoice.*.paid")));
		this.api.publish("Invoice", "8", "create");
		this.api.publish("Invoice", "8", "paid");
		// one queue, consumed in order: once "paid" is there, "create" would have been
		// too
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.api.deliveries(invoices)).containsExactly("model.Invoice.7.create",
					"model.Invoice.8.paid"));

		this.api.deleteSubscription(invoices);
		await().atMost(TIMEOUT).until(() -> !this.api.isRegistered(invoices));
		long sentinel = this.api.createSubscription("sentinel", "model.Invoice.*.paid");
		await().atMost(TIMEOUT).until(() -> this.api.isRegistered(sentinel));
		this.api.publish("Invoice", "9", "paid");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.api.deliveries(sentinel)).containsExactly("model.Invoice.9.paid"));
		assertThat(this.api.deliveries(invoices)).hasSize(2);
		this.api.deleteSubscription(sentinel);
	}

	@Test
	void eventPublishedTheMomentTheSubscriptionIsCreatedIsDelivered() {
		int subscriptions = 100;
		List<Long> ids = new ArrayList<>();
		for (int n = 1; n <= subscriptions; n++) {
			long id = this.api.createSubscription("live" + n, "model.Live" + n + ".*.create");
			ids.add(id);
			// no wait: live at commit, the queue is bound before POST /subscriptions
			// answers
			this.api.publish("Live" + n, "1", "create");
		}
		await().atMost(TIMEOUT)
			.until(() -> ids.stream().filter((id) -> this.api.deliveries(id).size() == 1).count() == subscriptions);
		System.out.println("live-at-commit over REST | subscriptions " + subscriptions + " | delivered "
				+ ids.stream().filter((id) -> this.api.deliveries(id).size() == 1).count());
		ids.forEach(this.api::deleteSubscription);
	}

	@Test
	void anEventAboutNoObjectIsPublishedWithTypeDotActionAsIsimudRoutesIt() {
		long alerts = this.api.createSubscription("alerts", "alert.#");
		await().atMost(TIMEOUT).until(() -> this.api.isRegistered(alerts));

		HttpResponse<String> published = this.api.postRaw("/events", "{\"type\":\"alert\",\"action\":\"raised\"}");

		assertThat(published.statusCode()).isEqualTo(202);
		assertThat(published.body()).contains("\"routingKey\":\"alert.raised\"");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.api.deliveries(alerts)).containsExactly("alert.raised"));
		this.api.deleteSubscription(alerts);
	}

	@Test
	void aBatchOfEventsIsPublishedAsynchronouslyAndAnsweredOnceAllAreConfirmed() {
		long paid = this.api.createSubscription("paid", "model.Invoice.*.paid");
		await().atMost(TIMEOUT).until(() -> this.api.isRegistered(paid));

		HttpResponse<String> published = this.api.postRaw("/events/batch",
				"[{\"eventfulType\":\"Invoice\",\"eventfulId\":\"1\",\"action\":\"paid\"},"
						+ "{\"eventfulType\":\"Invoice\",\"eventfulId\":\"2\",\"action\":\"paid\"},"
						+ "{\"eventfulType\":\"Invoice\",\"eventfulId\":\"3\",\"action\":\"paid\"}]");

		assertThat(published.statusCode()).isEqualTo(202);
		assertThat(published.body()).contains("\"confirmed\":3");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.api.deliveries(paid)).containsExactlyInAnyOrder("model.Invoice.1.paid",
					"model.Invoice.2.paid", "model.Invoice.3.paid"));
		this.api.deleteSubscription(paid);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"type":"alert"}                                    | 'action' is required
			{"type":"alert","action":"  "}                      | 'action' is required
			{"action":"create","eventfulType":"Invoice"}        | 'eventfulType' and 'eventfulId' go together
			{"action":"raised"                                  | not valid JSON
			not json                                            | not valid JSON
			{"action":{"name":"raised"}}                        | Field 'action'
			{"action":"raised","parameters":[1,2]}              | Field 'parameters'
			{"action":"create","eventfulType":"A","eventfulId":["7"]} | Field 'eventfulId'
			""")
	void aRequestThatIsNotAnEventAnswers400WithTheReason(String body, String reason) {
		HttpResponse<String> answer = this.api.postRaw("/events", body);
		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
		assertThat(answer.body()).contains("\"status\":400").contains(reason);
	}

	@Test
	void disabledSubscriptionStopsReceivingAndEnabledAgainResumes() {
		long audit = this.api.createSubscription("audit", "model.User.#");
		await().atMost(TIMEOUT).until(() -> this.api.isRegistered(audit));
		this.api.changeSubscription(audit, Map.of("enabled", false));
		await().atMost(TIMEOUT).until(() -> !this.api.isRegistered(audit));
		this.api.changeSubscription(audit, Map.of("enabled", true));
		await().atMost(TIMEOUT).until(() -> this.api.isRegistered(audit));
		this.api.publish("User", "1", "login");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.api.deliveries(audit)).containsExactly("model.User.1.login"));
		this.api.deleteSubscription(audit);
	}

	@Test
	void healthEndpointAndMetersReportTheRegistry() {
		long first = this.api.createSubscription("first", "model.A.#");
		long second = this.api.createSubscription("second", "model.B.#", "model.C.*.create");
		await().atMost(TIMEOUT).until(() -> this.api.isRegistered(first) && this.api.isRegistered(second));

		JsonNode observers = this.api.registeredObservers();
		int count = observers.get("count").asInt();
		assertThat(count).isGreaterThanOrEqualTo(2).isEqualTo(observers.get("observers").size());
		JsonNode secondObserver = observers.get("observers")
			.valueStream()
			.filter((observer) -> observer.get("id").asString().equals(String.valueOf(second)))
			.findFirst()
			.orElseThrow();
		assertThat(secondObserver.get("queue").asString()).endsWith(".subscription." + second);
		assertThat(secondObserver.get("routingKeys").valueStream().map(JsonNode::asString)).containsExactly("model.B.#",
				"model.C.*.create");
		assertThat(this.api.get("/actuator/eventlistener").get("state").asString()).isEqualTo("RUNNING");

		JsonNode health = this.api.get("/actuator/health").get("components").get("eventListener");
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("details").get("state").asString()).isEqualTo("RUNNING");
		assertThat(health.get("details").get("observers").asInt()).isEqualTo(count);

		JsonNode applied = this.api
			.get("/actuator/metrics/event.listener.watcher.messages?tag=type:Subscription&tag=outcome:applied");
		assertThat(applied.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(2);
		JsonNode gauge = this.api.get("/actuator/metrics/event.listener.observers?tag=type:Subscription");
		assertThat(gauge.get("measurements").get(0).get("value").asDouble()).isEqualTo(count);

		this.api.publish("A", "1", "create");
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.api.deliveries(first)).hasSize(1));
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(
					this.api.get("/actuator/metrics/event.listener.events?tag=type:Subscription&tag=outcome:handled")
						.get("measurements")
						.get(0)
						.get("value")
						.asDouble())
				.isGreaterThanOrEqualTo(1));
		this.api.deleteSubscription(first);
		this.api.deleteSubscription(second);
	}

	@Test
	void liveFiguresFollowHandledAndFailingEventsAndAReplayEmptiesTheDeadLetters() {
		long receipts = this.api.createSubscription("receipts", "model.Receipt.*.create");
		await().atMost(TIMEOUT).until(() -> this.api.liveFigures(receipts).get("consumers").asInt() == 1);
		assertThat(this.api.liveFigures(receipts).get("queue").asString()).endsWith(".subscription." + receipts);
		assertThat(this.api.liveFigures(receipts).get("handled").asLong()).isZero();
		long deadLetters = this.api.deadLettersWaiting();

		this.api.publish("Receipt", "1", "create");
		this.api.publish("Receipt", "2", "create");
		await().atMost(TIMEOUT).until(() -> this.api.liveFigures(receipts).get("handled").asLong() == 2);
		assertThat(this.api.liveFigures(receipts).get("eventsPerSecond").asDouble()).isPositive();

		// its webhook down: tried 3 times (retry.max-attempts), then dead-lettered
		this.api.webhook(receipts, false);
		this.api.publish("Receipt", "3", "create");
		await().atMost(TIMEOUT).until(() -> this.api.deadLettersWaiting() == deadLetters + 1);
		assertThat(this.api.liveFigures(receipts).get("failures").asLong()).isEqualTo(3);
		assertThat(this.api.liveFigures(receipts).get("handled").asLong()).isEqualTo(2);

		this.api.webhook(receipts, true);
		assertThat(this.api.replayDeadLetters().get("moved").asLong()).isOne();
		await().atMost(TIMEOUT).until(() -> this.api.liveFigures(receipts).get("handled").asLong() == 3);
		assertThat(this.api.deadLettersWaiting()).isEqualTo(deadLetters);
		assertThat(this.api.deliveries(receipts)).hasSize(3);
		this.api.deleteSubscription(receipts);
	}

	private List<String> routingKeys(long id) {
		return this.api.registeredObservers()
			.get("observers")
			.valueStream()
			.filter((observer) -> observer.get("id").asString().equals(String.valueOf(id)))
			.flatMap((observer) -> observer.get("routingKeys").valueStream())
			.map(JsonNode::asString)
			.toList();
	}

}
