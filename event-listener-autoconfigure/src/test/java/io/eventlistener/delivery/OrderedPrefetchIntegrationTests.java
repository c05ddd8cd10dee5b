package io.eventlistener.delivery;

import java.time.Duration;
import java.util.List;

import io.eventlistener.DeliveryMode;
import io.eventlistener.it.Company;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With multiplexed consumers, the queue of a {@link DeliveryMode#ORDERED} observer type
 * is consumed with prefetch 1 while the other queues on the same channel keep the shared
 * prefetch, as the broker's management API reports them.
 */
class OrderedPrefetchIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL, DeliveryTestApplication.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void anOrderedQueueIsConsumedWithPrefetchOneAndTheOthersWithTheSharedPrefetch() {
		this.namespace
			.sql("insert into company (name, active, routing_keys) values ('o', true, 'model.User.*.create')");
		long id = this.namespace.queryForLong("select id from company where name = 'o'");
		String ordered = this.namespace.queuePrefix() + ".company." + id;
		this.namespace.start(DeliveryTestApplication.class, "event-listener.consumer.prefetch=40",
				"event-listener.delivery.observers.Company=ordered", "event-listener.delivery.instance-id=a");
		String broadcast = this.namespace.broker()
			.queueNames(this.namespace.queuePrefix() + ".cache")
			.stream()
			.findFirst()
			.orElseThrow();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.namespace.broker().consumerPrefetches(ordered)).isEqualTo(List.of(1));
			assertThat(this.namespace.broker().consumerPrefetches(broadcast)).isEqualTo(List.of(40));
		});
	}

}
