package io.eventlistener.it;

import java.time.Duration;
import java.util.Map;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.BrokerManagement;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More observers than one connection has channels (2047): every one of them is declared,
 * bound and consumed, as the broker itself reports, over connections that each stay
 * within {@code channel_max}. A queue that exists with other arguments is refused, named,
 * and leaves the others consumed.
 */
class ObserverScaleIntegrationTests {

	private static final int OBSERVERS = 2500;

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void everyObserverBeyondOneConnectionsChannelMaxHasExactlyOneConsumer() {
		this.namespace.sql("insert into company (name, active, routing_keys) select 'c' || g, true, "
				+ "'model.User.' || g || '.create' from generate_series(1, " + OBSERVERS + ") g");
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class);
		BrokerManagement broker = this.namespace.broker();
		String prefix = this.namespace.queuePrefix() + ".company.";

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			Map<String, Integer> consumers = broker.consumersByQueue(prefix);
			assertThat(consumers).hasSize(OBSERVERS);
			assertThat(consumers.values()).containsOnly(1);
		});
		// 100 consumers per channel: 26 channels on one connection (the management API's
		// connection statistics lag its consumer counts by up to a statistics round)
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Map<String, Integer> channels = broker.channelsByConnection(this.namespace.queuePrefix() + ".consumers#");
			assertThat(channels).hasSize(1).allSatisfy((name, count) -> assertThat(count).isEqualTo(26));
		});
		assertThat(((MultiplexedConsumers) application.getBean(EventListenerAssembly.class).consumers()).queueCount())
			.isEqualTo(OBSERVERS + 1);

		long last = this.namespace.queryForLong("select max(id) from company");
		application.getBean(EventPublisher.class)
			.publish(Event.builder().eventful("User", last).action("create").build());
		RecordingHandler handler = application.getBean(RecordingHandler.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(handler.routingKeysFor(last)).containsExactly("model.User." + last + ".create"));
	}

	@Test
	void aQueueThatExistsWithOtherArgumentsIsRefusedAndTheOthersAreConsumed() {
		this.namespace.sql("insert into company (name, active, routing_keys) select 'c' || g, true, "
				+ "'model.User.*.create' from generate_series(1, 300) g");
		long refused = this.namespace.queryForLong("select id from company where name = 'c150'");
		String queue = this.namespace.queuePrefix() + ".company." + refused;
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(LocalServices.RABBIT_HOST,
				LocalServices.RABBIT_PORT);
		try {
			// the same name with other arguments: the broker refuses our declaration
			new RabbitAdmin(connectionFactory)
				.declareQueue(new Queue(queue, true, false, false, Map.of("x-max-length", 1)));
		}
		finally {
			connectionFactory.destroy();
		}

		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class);

		ObserverRegistry registry = application.getBean(ObserverRegistry.class);
		assertThat(registry.refused()).containsOnlyKeys(new ObserverKey("Company", String.valueOf(refused)));
		assertThat(registry.registrations()).hasSize(299);
		// the 299 others were declared, bound and consumed in the same pipelined bulk
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			Map<String, Integer> consumers = this.namespace.broker()
				.consumersByQueue(this.namespace.queuePrefix() + ".company.");
			assertThat(consumers).hasSize(300);
			assertThat(consumers.entrySet()).filteredOn((entry) -> entry.getValue() == 1).hasSize(299);
			assertThat(consumers.get(queue)).isZero();
		});
	}

}
