package io.eventlistener.sample;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.eventlistener.testsupport.BrokerManagement;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample with its {@code isimud} profile ({@code application-isimud.yml},
 * {@code isimud/orm.xml}) on the database and broker of a Rails application using isimud
 * ({@link RailsSubscriptions}: plain JDBC, ActiveRecord's own YAML coder, isimud's queue
 * handling and model-watcher messages), on RabbitMQ and PostgreSQL: a row the Rails
 * application creates is an observer whose events the sample's handler records, its
 * enabled flag is honoured, and a subscription the sample creates is a row ActiveRecord
 * reads.
 */
class IsimudProfileIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static SampleNamespace sample;

	private static RailsSubscriptions rails;

	private static SampleApi api;

	@BeforeAll
	static void start() {
		// the Rails migration made the table; Hibernate changes no schema (the profile's
		// ddl-auto, which the namespace's own default would otherwise replace)
		sample = SampleNamespace.start(List.of("isimud"), List.of(RailsSubscriptions.DDL),
				"spring.jpa.hibernate.ddl-auto=none");
		rails = new RailsSubscriptions(sample.namespace(), sample.namespace().queuePrefix() + ".rails");
		api = new SampleApi(sample.port());
	}

	@AfterAll
	static void stop() {
		if (rails != null) {
			rails.close();
		}
		if (sample != null) {
			sample.close();
		}
	}

	@Test
	void aRowTheRailsApplicationCreatesIsAnObserverWhoseEventsTheSamplesHandlerRecords() {
		// Psych quotes the second key: ActiveRecord writes - "*.Invoice.7.create"
		List<String> keys = List.of("model.Invoice.*.paid", "*.Invoice.7.create");
		long id = rails.create("billing", true, keys);
		String queue = namespace().queuePrefix() + ".subscription." + id;
		await().atMost(TIMEOUT)
			.until(() -> broker().bindings(queue, namespace().eventsExchange()).equals(Set.copyOf(keys))
					&& broker().queue(queue).map(BrokerManagement.QueueState::consumers).orElse(0) == 1);

		rails.publishEvent("Invoice", 7, "create");
		rails.publishEvent("Invoice", 8, "void");
		rails.publishEvent("Invoice", 7, "paid");

		await().atMost(TIMEOUT).until(() -> api.deliveries(id).size() == 2);
		assertThat(api.deliveries(id)).containsExactlyInAnyOrder("model.Invoice.7.create", "model.Invoice.7.paid");
		// isimud's own queue for the row got them too: each side consumes its own
		await().atMost(TIMEOUT)
			.until(() -> broker().queue(rails.queue(id)).map(BrokerManagement.QueueState::messages).orElse(0) == 2);

		// the Rails application disables it: enable_listener? is false
		rails.update(id, false, keys);
		await().atMost(TIMEOUT).until(() -> !api.isRegistered(id));
		assertThat(broker().bindings(queue, namespace().eventsExchange())).isEmpty();
	}

	@Test
	void aSubscriptionTheSampleCreatesIsARowActiveRecordReads() {
		long id = api.createSubscription("alerts", "alert.*", "*.User.create");

		String column = namespace().queryForString("select exchange_routing_keys from subscriptions where id = " + id);
		assertThat(column).isEqualTo(ActiveRecordYamlColumn.dump(List.of("alert.*", "*.User.create")));
		assertThat(ActiveRecordYamlColumn.load(column)).containsExactly("alert.*", "*.User.create");
		assertThat(namespace().queryForLong("select count(*) from subscriptions where id = " + id
				+ " and enabled and created_at is not null and updated_at = created_at"))
			.isOne();
		await().atMost(TIMEOUT).until(() -> api.isRegistered(id));
	}

	private static TestNamespace namespace() {
		return sample.namespace();
	}

	private static BrokerManagement broker() {
		return namespace().broker();
	}

}
