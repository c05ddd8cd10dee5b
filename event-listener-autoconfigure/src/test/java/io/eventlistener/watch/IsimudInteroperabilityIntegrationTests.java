package io.eventlistener.watch;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.eventlistener.Event;
import io.eventlistener.it.Company;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Rails app using isimud creates an observer row and announces it: isimud's exact JSON,
 * published by a plain AMQP client with no content type and no message id, on isimud's
 * routing key. The listener registers the observer.
 */
class IsimudInteroperabilityIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL, Person.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void isimudModelWatcherMessageRegistersTheObserver() {
		WatcherApplication application = WatcherApplication.start(this.namespace);
		// written by the Rails app: no JPA, so nothing is published from here
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('Rails', true, 'model.User.*.create')");
		long id = this.namespace.queryForLong("select id from company where name = 'Rails'");
		assertThat(application.isRegistered(id)).isFalse();

		// Isimud::ModelWatcher#isimud_send_action_message: payload.to_json, Bunny publish
		String isimudJson = "{\"schema\":\"test\",\"type\":\"Company\",\"action\":\"create\",\"id\":" + id
				+ ",\"timestamp\":\"2016-03-01T12:34:56.789Z\",\"attributes\":{\"name\":\"Rails\",\"description\":null,"
				+ "\"active\":true,\"exchange_routing_keys\":[\"model.User.*.create\"],"
				+ "\"created_at\":\"2016-03-01T12:34:56.789Z\",\"updated_at\":\"2016-03-01T12:34:56.789Z\"}}";
		RawAmqp.publish(this.namespace.modelsExchange(), "test.Company.create",
				isimudJson.getBytes(StandardCharsets.UTF_8));

		WatcherApplication.patiently().until(() -> application.isRegistered(id));
		application.publish(Event.builder().eventful("User", 5).action("create").build());
		WatcherApplication.patiently()
			.until(() -> application.handler().routingKeysFor(id).equals(List.of("model.User.5.create")));
		assertThat(application.counts().appliedCount(ModelChangeOutcome.REGISTERED)).isEqualTo(1);
	}

}
