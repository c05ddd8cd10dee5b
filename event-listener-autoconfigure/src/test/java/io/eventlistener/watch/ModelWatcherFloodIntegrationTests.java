package io.eventlistener.watch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.eventlistener.it.Company;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A flood of spoofed but well-formed model-watcher messages for one observer id that no
 * row has: the work per observer key is coalesced, so it costs a handful of database
 * reads, not one per message, and deletes no queue (the registry holds none for it).
 */
class ModelWatcherFloodIntegrationTests {

	private static final int MESSAGES = 10_000;

	private static final long MISSING = 987_654;

	private final TestNamespace namespace = TestNamespace.create(Company.DDL, Person.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void tenThousandSpoofedMessagesForOneMissingIdCostAHandfulOfReadsAndNoQueue() throws Exception {
		WatcherApplication application = WatcherApplication.start(this.namespace,
				"spring.jpa.properties.hibernate.generate_statistics=true", "event-listener.outbox.relay-interval=1h",
				"event-listener.resync.interval=1h");
		Statistics statistics = application.bean(EntityManagerFactory.class)
			.unwrap(SessionFactory.class)
			.getStatistics();
		String queue = application.bean(QueueNames.class)
			.observerQueue(application.bean(ObserverTypes.class).find("Company").orElseThrow(), MISSING);
		long handledBefore = handled(application);
		try (Connection connection = rawConnection(); Channel channel = connection.createChannel()) {
			// a queue of that name exists (another application's, or a leftover)
			channel.queueDeclare(queue, true, false, false, null);
			long readsBefore = statistics.getPrepareStatementCount();

			byte[] body = ("{\"schema\":\"test\",\"type\":\"Company\",\"action\":\"destroy\",\"id\":\"" + MISSING
					+ "\",\"timestamp\":\"2016-03-01T12:34:56.789Z\",\"attributes\":{}}")
				.getBytes(StandardCharsets.UTF_8);
			for (int i = 0; i < MESSAGES; i++) {
				channel.basicPublish(this.namespace.modelsExchange(), "test.Company.destroy",
						new AMQP.BasicProperties.Builder().build(), body);
			}

			await().atMost(Duration.ofSeconds(120)).until(() -> handled(application) >= handledBefore + MESSAGES);
			// the trailing re-read of the last window included, for as long again
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(20))
				.until(() -> statistics.getPrepareStatementCount() - readsBefore <= 10);
			System.out.println("model-watcher flood | " + MESSAGES + " messages, "
					+ (statistics.getPrepareStatementCount() - readsBefore) + " database statements");
			assertThat(channel.queueDeclarePassive(queue).getQueue()).isEqualTo(queue);
			channel.queueDelete(queue);
		}
	}

	private static long handled(WatcherApplication application) {
		long handled = 0;
		for (ModelChangeOutcome outcome : ModelChangeOutcome.values()) {
			handled += application.counts().appliedCount(outcome);
		}
		return handled;
	}

	private static Connection rawConnection() throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServices.RABBIT_HOST);
		factory.setPort(LocalServices.RABBIT_PORT);
		return factory.newConnection("raw-model-flood");
	}

}
