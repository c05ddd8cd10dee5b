package io.eventlistener.it;

import java.time.Duration;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.testsupport.BrokerManagement;
import io.eventlistener.testsupport.BrokerManagement.QueueState;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing handler or a bad message rejects that one delivery; every observer, the
 * failing one included, goes on consuming.
 */
class HandlerFailureIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void handlerExceptionRejectsOnlyThatDeliveryAndStopsNoObserver() {
		long failing = insertObserver("failing");
		long healthy = insertObserver("healthy");
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class);
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		EventPublisher publisher = application.getBean(EventPublisher.class);
		handler.failFor(failing);

		publisher.publish(Event.builder().eventful("User", 1).action("create").build());

		await().atMost(Duration.ofSeconds(10)).until(() -> handler.routingKeysFor(healthy).size() == 1);
		String failingQueue = this.namespace.queuePrefix() + ".company." + failing;
		BrokerManagement broker = this.namespace.broker();
		// every attempt failed once the delivery is dead-lettered (the failing queue
		// looks
		// empty to the management API while the attempts are still running)
		await().atMost(Duration.ofSeconds(20))
			.until(() -> broker.queue(this.namespace.queuePrefix() + ".dead-letter").orElseThrow().messages() == 1);
		// rejected without requeue: the queue is empty and still has its consumer
		await().atMost(Duration.ofSeconds(10))
			.until(() -> broker.queue(failingQueue).orElseThrow(), (state) -> state.equals(new QueueState(1, 0, 0)));
		assertThat(handler.routingKeysFor(failing)).isEmpty();

		handler.failing().clear();
		publisher.publish(Event.builder().eventful("User", 2).action("create").build());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handler.routingKeysFor(failing)).containsExactly("model.User.2.create"));
		assertThat(handler.routingKeysFor(healthy)).containsExactly("model.User.1.create", "model.User.2.create");
	}

	@Test
	void malformedBodyIsRejectedAndTheNextEventIsHandled() {
		long observer = insertObserver("observer");
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class);
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		RabbitTemplate template = application.getBean(RabbitTemplate.class);
		MessageProperties properties = new MessageProperties();
		template.send(this.namespace.eventsExchange(), "model.User.1.create",
				new org.springframework.amqp.core.Message("{not json".getBytes(), properties));
		template.send(this.namespace.eventsExchange(), "model.User.1.create",
				new org.springframework.amqp.core.Message("[1, 2]".getBytes(), properties));
		application.getBean(EventPublisher.class).publish(Event.builder().eventful("User", 3).action("create").build());

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handler.routingKeysFor(observer)).containsExactly("model.User.3.create"));
		String queue = this.namespace.queuePrefix() + ".company." + observer;
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.namespace.broker().queue(queue).orElseThrow(), (state) -> state.messages() == 0);
	}

	private long insertObserver(String name) {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('" + name
				+ "', true, 'model.User.*.create')");
		return this.namespace.queryForLong("select id from company where name = '" + name + "'");
	}

}
