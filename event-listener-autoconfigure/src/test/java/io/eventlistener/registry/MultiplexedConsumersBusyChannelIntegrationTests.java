package io.eventlistener.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.rabbitmq.client.Channel;
import io.eventlistener.testsupport.LocalServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumers started and cancelled on a channel whose other consumers are flooded with
 * deliveries: a {@code basic.consume} waits for its reply while handlers acknowledge on
 * the same channel. Once, an acknowledgement waited for the lock Spring's channel proxy
 * holds through that wait, while holding the channel's delivery bookkeeping; the client's
 * dispatch thread then waited for the bookkeeping, the connection's reader for the
 * dispatch queue, and the reply the consume waited for was never read: the channel
 * stalled for good with every prefetched delivery unacknowledged (the benchmark's
 * 100-observer round found it).
 */
class MultiplexedConsumersBusyChannelIntegrationTests {

	private static final int BUSY_QUEUES = 10;

	private static final int MESSAGES_PER_QUEUE = 2_000;

	private final String prefix = "eli13busy" + Long.toString(System.nanoTime(), 36);

	private final List<String> busy = IntStream.rangeClosed(1, BUSY_QUEUES)
		.mapToObj((i) -> this.prefix + ".busy." + i)
		.toList();

	private final List<String> idle = IntStream.rangeClosed(1, 20).mapToObj((i) -> this.prefix + ".idle." + i).toList();

	private final AtomicInteger handled = new AtomicInteger();

	private CachingConnectionFactory testConnection;

	private CachingConnectionFactory consumerConnection;

	private MultiplexedConsumers consumers;

	@BeforeEach
	void queues() throws Exception {
		LocalServices.requireRunning();
		this.testConnection = new CachingConnectionFactory(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		RabbitAdmin admin = new RabbitAdmin(this.testConnection);
		this.busy.forEach((queue) -> admin.declareQueue(new Queue(queue, false)));
		this.idle.forEach((queue) -> admin.declareQueue(new Queue(queue, false)));
		try (Channel channel = this.testConnection.createConnection().createChannel(false)) {
			byte[] body = "{\"action\":\"create\"}".getBytes();
			for (int i = 0; i < MESSAGES_PER_QUEUE; i++) {
				for (String queue : this.busy) {
					channel.basicPublish("", queue, null, body);
				}
			}
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.busy.stream()
				.allMatch((queue) -> admin.getQueueInfo(queue).getMessageCount() == MESSAGES_PER_QUEUE));
	}

	@AfterEach
	void cleanUp() {
		if (this.consumers != null) {
			this.consumers.destroy();
		}
		RabbitAdmin admin = new RabbitAdmin(this.testConnection);
		this.busy.forEach(admin::deleteQueue);
		this.idle.forEach(admin::deleteQueue);
		this.testConnection.destroy();
		if (this.consumerConnection != null) {
			this.consumerConnection.destroy();
		}
	}

	@Test
	@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void consumingMoreQueuesWhileTheChannelIsFloodedNeverStallsIt() {
		this.consumerConnection = new CachingConnectionFactory(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		MultiplexedConsumers.Settings settings = new MultiplexedConsumers.Settings(100, 10, 250, 1,
				Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(5));
		this.consumers = new MultiplexedConsumers((index) -> this.consumerConnection,
				() -> (channel, data) -> this.handled.incrementAndGet(), settings, TestThreads.create());
		this.consumers.consumeAll(this.busy);
		this.consumers.start();
		int total = BUSY_QUEUES * MESSAGES_PER_QUEUE;
		// consume and cancel the idle queues on the same channel while the busy ones
		// drain
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (this.handled.get() < total && System.nanoTime() < deadline) {
			this.consumers.consumeAll(this.idle);
			this.idle.forEach(this.consumers::cancel);
		}
		assertThat(this.consumers.channelCount()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.handled.get() >= total);
	}

}
