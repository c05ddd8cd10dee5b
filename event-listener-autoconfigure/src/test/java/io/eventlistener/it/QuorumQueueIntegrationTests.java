package io.eventlistener.it;

import java.time.Duration;
import java.util.Map;

import io.eventlistener.observer.ObserverKey;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.BrokerManagement.QueueDeclaration;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observer, application and dead-letter queues declared as quorum queues on the local
 * broker, and a type change across a deploy: the queue declared classic before is refused
 * by the broker, named at start-up with the fix, and the other observers are consumed.
 * Quorum queues hold open files on the broker (1024 here): each test declares a handful
 * and {@link TestNamespace#close()} deletes them. Run on RabbitMQ 3.10 and 4.0.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RabbitBroker.class)
@ExtendWith(OutputCaptureExtension.class)
class QuorumQueueIntegrationTests {

	private static final String[] QUORUM = { "event-listener.queues.type=quorum",
			"event-listener.queues.delivery-limit=5", "event-listener.queues.initial-group-size=1" };

	private final RabbitBroker rabbit;

	private final TestNamespace namespace;

	QuorumQueueIntegrationTests(RabbitBroker rabbit) {
		this.rabbit = rabbit;
		this.namespace = TestNamespace.create(rabbit, Company.DDL);
	}

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void observerApplicationAndDeadLetterQueuesAreQuorumQueuesWithTheirArguments() {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('c', true, 'model.User.*.create')");
		long id = this.namespace.queryForLong("select id from company where name = 'c'");
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class, QUORUM);
		String prefix = this.namespace.queuePrefix();
		String deadLetters = prefix + ".dead-letter";

		assertThat(declaration(prefix + ".company." + id))
			.isEqualTo(new QueueDeclaration("quorum", Map.of("x-queue-type", "quorum", "x-delivery-limit", 5,
					"x-quorum-initial-group-size", 1, "x-dead-letter-exchange", deadLetters)));
		assertThat(declaration(prefix + ".audit")).isEqualTo(declaration(prefix + ".company." + id));
		assertThat(declaration(deadLetters)).isEqualTo(new QueueDeclaration("quorum",
				Map.of("x-queue-type", "quorum", "x-delivery-limit", 5, "x-quorum-initial-group-size", 1)));

		// isimud's exact bytes, from a raw client
		RawAmqp.publish(this.rabbit, this.namespace.eventsExchange(), "model.User.7.create",
				"{\"type\":\"model\",\"eventful_type\":\"User\",\"eventful_id\":7,\"action\":\"create\"}".getBytes());
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handler.routingKeysFor(id)).containsExactly("model.User.7.create"));
	}

	@Test
	void aQueueDeclaredClassicBeforeIsNamedAtStartUpAndTheOtherObserversAreConsumed(CapturedOutput output) {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('old', true, 'model.User.*.create')");
		long old = this.namespace.queryForLong("select id from company where name = 'old'");
		String oldQueue = this.namespace.queuePrefix() + ".company." + old;
		// the previous deploy declared classic queues
		this.namespace.start(ObserverTestApplication.class).close();
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('new', true, 'model.User.*.create')");
		long created = this.namespace.queryForLong("select id from company where name = 'new'");

		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class, QUORUM);

		ObserverRegistry registry = application.getBean(ObserverRegistry.class);
		ObserverKey refused = new ObserverKey("Company", String.valueOf(old));
		assertThat(registry.refused()).containsExactly(Map.entry(refused, oldQueue));
		assertThat(registry.find(new ObserverKey("Company", String.valueOf(created)))).isPresent();
		assertThat(declaration(oldQueue).type()).isEqualTo("classic");
		assertThat(output)
			.contains("Observer " + refused + " is not consumed: Queue " + oldQueue
					+ " exists on the broker with another type or other arguments than declared here")
			.contains("rabbitmqctl delete_queue " + oldQueue)
			.contains("inequivalent arg 'x-queue-type'");

		RawAmqp.publish(this.rabbit, this.namespace.eventsExchange(), "model.User.8.create",
				"{\"type\":\"model\",\"eventful_type\":\"User\",\"eventful_id\":8,\"action\":\"create\"}".getBytes());
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handler.routingKeysFor(created)).containsExactly("model.User.8.create"));
		assertThat(handler.routingKeysFor(old)).isEmpty();
		// kept for when the operator has drained it
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(
					() -> assertThat(this.namespace.broker().queue(oldQueue).orElseThrow().ready()).isEqualTo(1));
	}

	private QueueDeclaration declaration(String queue) {
		return this.namespace.broker().declaration(queue).orElseThrow(() -> new AssertionError("no queue " + queue));
	}

}
