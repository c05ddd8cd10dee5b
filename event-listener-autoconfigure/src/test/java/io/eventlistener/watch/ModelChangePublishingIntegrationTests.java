package io.eventlistener.watch;

import java.util.List;

import io.eventlistener.it.Company;
import io.eventlistener.it.CompanyRepository;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing model-watcher messages after commit, as isimud's {@code ModelWatcher} does:
 * what is sent, when, and when nothing is.
 */
class ModelChangePublishingIntegrationTests {

	private static final String MARKER = "test.Marker.create";

	private static TestNamespace namespace;

	private static WatcherApplication application;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(io.eventlistener.it.Company.DDL, Person.DDL);
		application = WatcherApplication.start(namespace);
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void observerCreationPublishesIsimudMessageWithWatchedAttributesOnly() {
		ModelMessages messages = new ModelMessages(application, namespace);
		long id = application.create("Acme", true, "model.User.*.create", "billing.#");

		Message message = messages.next();
		assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo("test.Company.create");
		assertThat(message.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
		JsonNode body = JsonNodes.read(message.getBody());
		assertThat(List.copyOf(body.propertyNames())).containsExactly("schema", "type", "action", "id", "timestamp",
				"attributes");
		assertThat(body.get("schema").asString()).isEqualTo("test");
		assertThat(body.get("type").asString()).isEqualTo("Company");
		assertThat(body.get("action").asString()).isEqualTo("create");
		assertThat(body.get("id").isNumber()).isTrue();
		assertThat(body.get("id").asLong()).isEqualTo(id);
		assertThat(body.get("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		// keyed by column in the entity's order, as isimud keys them; the company's name
		// is not watched: it never leaves the process
		assertThat(List.copyOf(body.get("attributes").propertyNames())).containsExactly("active", "routing_keys",
				"observed_exchange");
		assertThat(body.get("attributes").get("routing_keys").values()).extracting(JsonNode::asString)
			.containsExactly("model.User.*.create", "billing.#");
		assertThat(body.get("attributes").get("active").isBoolean()).isTrue();
		assertThat(body.get("attributes").get("active").asBoolean()).isTrue();
		assertThat(body.get("attributes").get("observed_exchange").isNull()).isTrue();
	}

	@Test
	void publishesOnlyAfterCommit() {
		ModelMessages messages = new ModelMessages(application, namespace);
		application.transactions().executeWithoutResult((status) -> {
			application.bean(CompanyRepository.class).saveAndFlush(new Company("Late", true, List.of("x.#")));
			RawAmqp.publish(namespace.modelsExchange(), MARKER, "{}".getBytes());
		});

		// the row was written before the marker was sent, but announced only on commit
		assertThat(messages.next().getMessageProperties().getReceivedRoutingKey()).isEqualTo(MARKER);
		assertThat(messages.next().getMessageProperties().getReceivedRoutingKey()).isEqualTo("test.Company.create");
	}

	@Test
	void rolledBackCreationPublishesNothingAndDeclaresNoQueue() {
		ModelMessages messages = new ModelMessages(application, namespace);
		Long rolledBack = application.transactions().execute((status) -> {
			Company company = application.bean(CompanyRepository.class)
				.saveAndFlush(new Company("Ghost", true, List.of("x.#")));
			status.setRollbackOnly();
			return company.getId();
		});
		long committed = application.create("Real", true, "x.#");

		JsonNode next = messages.nextBody();
		assertThat(next.get("id").asLong()).isEqualTo(committed);
		WatcherApplication.patiently().until(() -> application.isRegistered(committed));
		assertThat(application.isRegistered(rolledBack)).isFalse();
		assertThat(namespace.broker().queue(application.queue(rolledBack))).isEmpty();
	}

	@Test
	void observerUpdatePublishesOnlyWhenAWatchedAttributeChanged() {
		long id = application.create("Rebinding", true, "a.#");
		ModelMessages messages = new ModelMessages(application, namespace);

		application.update(id, (company) -> company.setName("Renamed"));
		application.update(id, (company) -> company.setRoutingKeys(List.of("a.#", "b.#")));

		// the rename changed nothing watched: the first message is the second update
		JsonNode update = messages.nextBody();
		assertThat(update.get("action").asString()).isEqualTo("update");
		assertThat(update.get("attributes").get("routing_keys").values()).extracting(JsonNode::asString)
			.containsExactly("a.#", "b.#");
	}

	@Test
	void watchedModelPublishesItsMarkedAttributesOnly() {
		ModelMessages messages = new ModelMessages(application, namespace);
		PersonRepository people = application.bean(PersonRepository.class);
		long id = application.transactions().execute((status) -> people.save(new Person("Ada", "secret-hash"))).getId();
		application.transactions()
			.executeWithoutResult((status) -> people.findById(id).orElseThrow().setPasswordHash("other-hash"));
		application.transactions().executeWithoutResult((status) -> people.findById(id).orElseThrow().setLoginCount(3));
		application.transactions().executeWithoutResult((status) -> people.deleteById(id));

		JsonNode create = messages.nextBody();
		assertThat(create.get("type").asString()).isEqualTo("Person");
		assertThat(create.get("action").asString()).isEqualTo("create");
		assertThat(create.get("attributes").toString()).isEqualTo("{\"name\":\"Ada\",\"logins\":0}");
		// the password change publishes nothing: the next message is the login count's
		JsonNode update = messages.nextBody();
		assertThat(update.get("action").asString()).isEqualTo("update");
		assertThat(update.get("attributes").toString()).isEqualTo("{\"name\":\"Ada\",\"logins\":3}");
		JsonNode destroy = messages.nextBody();
		assertThat(destroy.get("action").asString()).isEqualTo("destroy");
		assertThat(destroy.get("id").asLong()).isEqualTo(id);
		assertThat(destroy.toString()).doesNotContain("hash");
	}

	@Test
	void publishingCanBeSwitchedOff() {
		WatcherApplication silent = WatcherApplication.start(namespace, "event-listener.watcher.publish=false");
		ModelMessages messages = new ModelMessages(silent, namespace);
		silent.create("Quiet", true, "q.#");
		RawAmqp.publish(namespace.modelsExchange(), MARKER, "{}".getBytes());

		assertThat(messages.next().getMessageProperties().getReceivedRoutingKey()).isEqualTo(MARKER);
		assertThat(silent.counts().publishedCount()).isZero();
	}

}
