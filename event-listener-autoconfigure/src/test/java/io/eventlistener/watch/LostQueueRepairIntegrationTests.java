package io.eventlistener.watch;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.eventlistener.it.Company;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An observer queue deleted behind the listener's back, 30 times in a row, is declared
 * again and consumed within 2 s each time, on RabbitMQ 3.10 and 4.0, classic and quorum.
 * On 4.0 a quorum queue's deletion finishes after the {@code queue.delete} answered, so
 * the first re-declaration's {@code queue.bind} was seen to fail with {@code NOT_FOUND};
 * the listener must try again with back-off, not wait for the next resync.
 */
@ParameterizedClass(name = "{0}, {1} queues")
@MethodSource("brokersAndQueueTypes")
class LostQueueRepairIntegrationTests {

	private static final int DELETIONS = 30;

	private static final Duration BOUND = Duration.ofSeconds(2);

	@Parameter(0)
	RabbitBroker rabbit;

	@Parameter(1)
	String queueType;

	private TestNamespace namespace;

	private WatcherApplication application;

	static Stream<Arguments> brokersAndQueueTypes() {
		return Stream.of(RabbitBroker.values())
			.flatMap((rabbit) -> Stream.of(Arguments.of(rabbit, "classic"), Arguments.of(rabbit, "quorum")));
	}

	@Test
	void everyDeletedQueueIsDeclaredAgainAndConsumedWithinTwoSeconds() throws Exception {
		this.namespace = TestNamespace.create(this.rabbit, Company.DDL, Person.DDL);
		try {
			this.application = WatcherApplication.start(this.namespace, "event-listener.queues.type=" + this.queueType);
			long id = this.application.create("Deleted", true, "repair.me");
			String queue = this.application.queue(id);
			List<Long> millis = new ArrayList<>();
			try (Connection connection = this.rabbit.connectionFactory().newConnection("lost-queue-repair-test")) {
				WatcherApplication.patiently().until(() -> consumers(connection, queue) == 1);
				for (int i = 0; i < DELETIONS; i++) {
					double redeclared = redeclared();
					long deletedAt = System.nanoTime();
					this.namespace.broker().deleteQueue(queue);
					boolean repaired = repaired(connection, queue, redeclared);
					if (!repaired) {
						break;
					}
					millis.add((System.nanoTime() - deletedAt) / 1_000_000);
				}
			}
			long max = millis.stream().mapToLong(Long::longValue).max().orElse(-1);
			System.out.printf(
					"lost-queue repair | %s | %s queue | %d of %d deletions repaired | ms: %s | max %d ms"
							+ " | declarations that failed and were tried again: %.0f%n",
					this.rabbit, this.queueType, millis.size(), DELETIONS, millis, max,
					this.application.lostQueues("failed"));

			assertThat(millis).as("deletions repaired within 10 s, on " + this.rabbit).hasSize(DELETIONS);
			assertThat(max).as("longest repair, ms, on " + this.rabbit).isLessThan(BOUND.toMillis());
			assertThat(this.namespace.broker().bindings(queue, this.namespace.eventsExchange()))
				.containsExactly("repair.me");
		}
		finally {
			this.namespace.close();
		}
	}

	/**
	 * The listener declared the queue again and consumes it: the redeclared count went
	 * up, and a passive declaration (exact, unlike the management API's consumer count)
	 * finds it with one consumer.
	 */
	private boolean repaired(Connection connection, String queue, double redeclaredBefore) {
		try {
			await().atMost(Duration.ofSeconds(10))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> redeclared() > redeclaredBefore && consumers(connection, queue) == 1);
			return true;
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			return false;
		}
	}

	/** The queue's consumer count, or -1 when the broker has no such queue. */
	private static int consumers(Connection connection, String queue) throws IOException, TimeoutException {
		Channel channel = connection.createChannel();
		try {
			return channel.queueDeclarePassive(queue).getConsumerCount();
		}
		catch (IOException ex) {
			// NOT_FOUND closed the channel
			return -1;
		}
		finally {
			if (channel.isOpen()) {
				channel.close();
			}
		}
	}

	private double redeclared() {
		return this.application.lostQueues("redeclared");
	}

}
