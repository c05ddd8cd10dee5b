package io.eventlistener.watch;

import java.nio.charset.StandardCharsets;

import io.eventlistener.Event;
import io.eventlistener.it.Company;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on the watcher queue, one kind per test: each is rejected for its own reason
 * and dropped, the enabled observer it names (when it names one) keeps consuming, and the
 * listener goes on applying the next, valid, change.
 * <p>
 * The watcher queue is also bound with {@code #} here, as a hostile or misconfigured
 * binding would, so messages for other schemas and types reach it.
 */
class BadModelChangeIntegrationTests {

	private static TestNamespace namespace;

	private static WatcherApplication application;

	private static long observer;

	private long rejectedBefore;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(Company.DDL, Person.DDL);
		application = WatcherApplication.start(namespace, "event-listener.watcher.max-payload-size=1KB");
		application.bean(AmqpAdmin.class)
			.declareBinding(new Binding(application.bean(ModelWatcherSubscription.class).queue().name(),
					Binding.DestinationType.QUEUE, namespace.modelsExchange(), "#", null));
		observer = application.create("Target", true, "target.#");
		WatcherApplication.patiently().until(() -> application.isRegistered(observer));
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@BeforeEach
	void countRejections() {
		this.rejectedBefore = totalRejected();
	}

	@AfterEach
	void listenerIsStillHealthy() {
		// the observer the bad message named is still registered and consuming
		assertThat(application.isRegistered(observer)).isTrue();
		String key = "target.probe" + System.nanoTime();
		application.publish(Event.builder().type("target").action(key.substring(7)).build());
		WatcherApplication.patiently().until(() -> application.handler().routingKeysFor(observer).contains(key));
		// and the next valid change is applied
		namespace.sql("insert into company (name, active, routing_keys) values ('" + key + "', true, 'probe.#')");
		long probe = namespace.queryForLong("select id from company where name = '" + key + "'");
		send("test.Company.create", change("test", "Company", "create", Long.toString(probe)));
		WatcherApplication.patiently().until(() -> application.isRegistered(probe));
	}

	@Test
	void bodyThatIsNotJsonIsRejected() {
		send("test.Company.update", "{\"schema\":\"test\",\"type\":");
		awaitRejected(ModelChangeRejection.MALFORMED);
	}

	@Test
	void bodyWithoutAnIdIsRejected() {
		send("test.Company.destroy", "{\"schema\":\"test\",\"type\":\"Company\",\"action\":\"destroy\"}");
		awaitRejected(ModelChangeRejection.MALFORMED);
	}

	@Test
	void oversizedBodyIsRejectedUnread() {
		String padding = "x".repeat(2048);
		send("test.Company.destroy", "{\"schema\":\"test\",\"type\":\"Company\",\"action\":\"destroy\",\"id\":"
				+ observer + ",\"attributes\":{\"padding\":\"" + padding + "\"}}");
		awaitRejected(ModelChangeRejection.OVERSIZED);
	}

	@Test
	void payloadDisagreeingWithTheRoutingKeyIsRejected() {
		send("test.Company.update", change("test", "Company", "destroy", Long.toString(observer)));
		awaitRejected(ModelChangeRejection.ROUTING_KEY_MISMATCH);
	}

	@Test
	void otherSchemaIsRejected() {
		send("billing.Company.destroy", change("billing", "Company", "destroy", Long.toString(observer)));
		awaitRejected(ModelChangeRejection.SCHEMA_MISMATCH);
	}

	@Test
	void unknownActionIsRejected() {
		send("test.Company.truncate", change("test", "Company", "truncate", Long.toString(observer)));
		awaitRejected(ModelChangeRejection.UNKNOWN_ACTION);
	}

	@Test
	void typeOutsideTheAllowListIsRejectedAndNeverLoaded() {
		send("test.java.lang.Runtime.create", change("test", "java.lang.Runtime", "create", "1"));
		awaitRejected(ModelChangeRejection.UNKNOWN_TYPE);
	}

	@Test
	void idThatIsNotAnIdOfTheTypeIsRejected() {
		send("test.Company.destroy", change("test", "Company", "destroy", observer + " or 1=1"));
		awaitRejected(ModelChangeRejection.BAD_ID);
	}

	@Test
	void spoofedDestroyCannotCancelAnEnabledObserver() {
		long unchangedBefore = application.counts().appliedCount(ModelChangeOutcome.UNCHANGED);
		send("test.Company.destroy", change("test", "Company", "destroy", Long.toString(observer)));

		// accepted, re-read: the row says enabled, so nothing changes
		WatcherApplication.patiently()
			.until(() -> application.counts().appliedCount(ModelChangeOutcome.UNCHANGED) > unchangedBefore);
		assertThat(namespace.broker().queue(application.queue(observer))).isPresent();
		assertThat(totalRejected()).isEqualTo(this.rejectedBefore);
	}

	private void awaitRejected(ModelChangeRejection reason) {
		WatcherApplication.patiently().until(() -> totalRejected() == this.rejectedBefore + 1);
		assertThat(application.counts().rejectedCount(reason)).isPositive();
		assertThat(application.counts().failedCount()).isZero();
	}

	private static long totalRejected() {
		long total = 0;
		for (ModelChangeRejection reason : ModelChangeRejection.values()) {
			total += application.counts().rejectedCount(reason);
		}
		return total;
	}

	private static void send(String routingKey, String body) {
		RawAmqp.publish(namespace.modelsExchange(), routingKey, body.getBytes(StandardCharsets.UTF_8));
	}

	private static String change(String schema, String type, String action, String id) {
		return "{\"schema\":\"" + schema + "\",\"type\":\"" + type + "\",\"action\":\"" + action + "\",\"id\":\"" + id
				+ "\",\"timestamp\":\"2016-03-01T12:34:56.789Z\",\"attributes\":{}}";
	}

}
