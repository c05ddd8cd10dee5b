package io.eventlistener.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import io.eventlistener.testsupport.BrokerManagement;
import io.eventlistener.testsupport.LocalServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link MultiplexedConsumers} on the real broker, without an application: several queues
 * share one channel, handlers run concurrently, and batched acknowledgements never
 * acknowledge a delivery whose handler has not returned.
 */
class MultiplexedConsumersIntegrationTests {

	private final BrokerManagement broker = new BrokerManagement();

	private final String prefix = "eli13" + Long.toString(System.nanoTime(), 36);

	private final String slow = this.prefix + ".slow";

	private final String fast = this.prefix + ".fast";

	private final CountDownLatch release = new CountDownLatch(1);

	private final Set<String> handled = ConcurrentHashMap.newKeySet();

	private final AtomicInteger slowHandled = new AtomicInteger();

	private final AtomicInteger fastHandled = new AtomicInteger();

	private CachingConnectionFactory consumerConnection;

	/** Runs the RabbitMQ client's consumer dispatch where a test holds it. */
	private final ExecutorService dispatch = Executors.newSingleThreadExecutor();

	private CachingConnectionFactory testConnection;

	private MultiplexedConsumers consumers;

	@BeforeEach
	void queues() {
		LocalServices.requireRunning();
		this.testConnection = new CachingConnectionFactory(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
		RabbitAdmin admin = new RabbitAdmin(this.testConnection);
		admin.declareQueue(new Queue(this.slow));
		admin.declareQueue(new Queue(this.fast));
	}

	@AfterEach
	void cleanUp() {
		this.release.countDown();
		if (this.consumers != null) {
			this.consumers.destroy();
		}
		this.dispatch.shutdown();
		RabbitAdmin admin = new RabbitAdmin(this.testConnection);
		admin.deleteQueue(this.slow);
		admin.deleteQueue(this.fast);
		this.testConnection.destroy();
	}

	@Test
	void batchedAcksNeverAcknowledgeADeliveryWhoseHandlerIsStillRunning() {
		start(50);
		RabbitTemplate template = new RabbitTemplate(this.testConnection);
		// the slow queue's delivery gets the lowest tag on the shared channel
		template.send(this.slow, new Message("slow".getBytes(StandardCharsets.UTF_8)));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.handled.contains("slow-started"));
		for (int i = 0; i < 20; i++) {
			template.send(this.fast, new Message(("fast-" + i).getBytes(StandardCharsets.UTF_8)));
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.handled.stream().filter((name) -> name.startsWith("fast-")).count() == 20);
		// the fast ones are acknowledged (one by one, past the unfinished lower tag) once
		// their batch times out; the slow one is not
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			assertThat(this.broker.queue(this.fast).orElseThrow().messages()).isZero();
			assertThat(this.broker.queue(this.slow).orElseThrow().messages()).isEqualTo(1);
		});
		// the connection goes while the slow handler runs: its delivery returns to its
		// queue and is handled again by the consumer started anew; the fast ones do not
		this.consumerConnection.resetConnection();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.consumers.unconsumed().isEmpty());
		this.release.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.slowHandled.get() == 2);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(this.broker.queue(this.slow).orElseThrow().messages()).isZero());
		assertThat(this.handled).hasSize(22);
		assertThat(this.fastHandled.get()).isEqualTo(20);
	}

	@Test
	void consumersShareAChannelAndComeBackAfterTheConnectionIsLost() {
		start(1);
		this.release.countDown();
		assertThat(this.consumers.channelCount()).isEqualTo(1);
		RabbitTemplate template = new RabbitTemplate(this.testConnection);
		template.send(this.fast, new Message("fast-before".getBytes(StandardCharsets.UTF_8)));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.handled.contains("fast-before"));
		this.consumerConnection.resetConnection();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.consumers.unconsumed().isEmpty());
		template.send(this.fast, new Message("fast-after".getBytes(StandardCharsets.UTF_8)));
		template.send(this.slow, new Message("slow".getBytes(StandardCharsets.UTF_8)));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.handled.contains("fast-after") && this.handled.contains("slow"));
	}

	/**
	 * A hand-over cancels a queue whose consume the broker has just confirmed: the client
	 * tells the consumer its tag later, on its dispatch thread (held here until the end),
	 * and a cancel that waited for that tag left the broker a consumer nobody handled (a
	 * second consumer once the queue came back, seen after a frozen instance thawed).
	 */
	@Test
	void aCancelRightAfterTheConsumeLeavesTheQueueWithoutAConsumer() throws Exception {
		CountDownLatch dispatchHeld = new CountDownLatch(1);
		this.dispatch.execute(() -> {
			try {
				dispatchHeld.await(2, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		CachingConnectionFactory connection = new CachingConnectionFactory(LocalServices.RABBIT_HOST,
				LocalServices.RABBIT_PORT);
		// the client's consumer dispatch runs on this executor
		connection.setExecutor(this.dispatch);
		try {
			start(connection, 1);
			assertThat(consumerCount(this.fast)).isEqualTo(1);
			this.consumers.cancel(this.fast);
			await().atMost(Duration.ofSeconds(10)).until(() -> consumerCount(this.fast) == 0);
			assertThat(consumerCount(this.slow)).isEqualTo(1);
		}
		finally {
			dispatchHeld.countDown();
		}
	}

	private int consumerCount(String queue) throws Exception {
		try (Channel channel = this.testConnection.createConnection().createChannel(false)) {
			return channel.queueDeclarePassive(queue).getConsumerCount();
		}
	}

	private void start(int messagesPerAck) {
		start(new CachingConnectionFactory(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT), messagesPerAck);
	}

	private void start(CachingConnectionFactory connection, int messagesPerAck) {
		this.consumerConnection = connection;
		this.consumerConnection.setConnectionNameStrategy((factory) -> this.prefix + ".consumers#0");
		MultiplexedConsumers.Settings settings = new MultiplexedConsumers.Settings(10, 10, 50, messagesPerAck,
				Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5));
		this.consumers = new MultiplexedConsumers((index) -> this.consumerConnection, () -> (channel, data) -> {
			String body = new String(((Message) data).getBody(), StandardCharsets.UTF_8);
			if (body.equals("slow")) {
				this.handled.add("slow-started");
				try {
					this.release.await(2, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.handled.add(body);
			(body.equals("slow") ? this.slowHandled : this.fastHandled).incrementAndGet();
		}, settings, TestThreads.create());
		this.consumers.consumeAll(List.of(this.slow, this.fast));
		this.consumers.start();
	}

}
