package io.eventlistener.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.rabbitmq.client.GetResponse;
import io.eventlistener.EventPublishException;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.testsupport.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link ConfirmedSender#sendAsync} against the real broker (behind a {@link TcpProxy},
 * to freeze the network): futures complete with the broker's confirm, in the order they
 * were sent; exceptionally with its nack (a full queue that rejects publishes) and when
 * no confirm comes within the confirm timeout.
 */
class ConfirmedSenderAsyncIntegrationTests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(1);

	private final TestNamespace namespace = TestNamespace.create();

	private final TcpProxy proxy = new TcpProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);

	private final CachingConnectionFactory connectionFactory = new CachingConnectionFactory(LocalServices.RABBIT_HOST,
			this.proxy.port());

	private final CachingConnectionFactory direct = new CachingConnectionFactory(LocalServices.RABBIT_HOST,
			LocalServices.RABBIT_PORT);

	private ConfirmedSender sender;

	@AfterEach
	void close() {
		this.proxy.thaw();
		if (this.sender != null) {
			this.sender.destroy();
		}
		this.connectionFactory.destroy();
		this.direct.destroy();
		this.proxy.close();
		this.namespace.close();
	}

	@Test
	void confirmedSendsCompleteInTheOrderTheyWereMade() {
		String exchange = exchange();
		String tap = this.namespace.queuePrefix() + ".tap";
		RawAmqp.tap(tap, exchange);
		// a margin for a loaded machine: this test is about completion and order
		ConfirmedSender sender = sender(Duration.ofSeconds(20));

		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			sends.add(sender.sendAsync(exchange, "async.test", message("m" + i)));
		}
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

		List<String> arrived = new ArrayList<>();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			for (GetResponse response = RawAmqp.get(tap); response != null; response = RawAmqp.get(tap)) {
				arrived.add(response.getProps().getMessageId());
			}
			return arrived.size() >= 500;
		});
		assertThat(arrived).hasSize(500).startsWith("m0", "m1", "m2").endsWith("m498", "m499");
		assertThat(arrived).isSortedAccordingTo((left, right) -> Integer.compare(Integer.parseInt(left.substring(1)),
				Integer.parseInt(right.substring(1))));
	}

	@Test
	void aNackCompletesTheFutureExceptionally() {
		String exchange = exchange();
		// a queue that holds one message and nacks publishes beyond that
		Queue full = new Queue(this.namespace.queuePrefix() + ".full", true, false, false,
				Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
		RabbitAdmin admin = new RabbitAdmin(this.direct);
		admin.declareQueue(full);
		admin.declareBinding(BindingBuilder.bind(full).to(new TopicExchange(exchange)).with("#"));
		ConfirmedSender sender = sender();

		sender.sendAsync(exchange, "async.first", message("first")).join();
		Throwable refused = catchThrowable(() -> sender.sendAsync(exchange, "async.second", message("second")).join());

		assertThat(refused).isInstanceOf(CompletionException.class)
			.cause()
			.isInstanceOf(EventPublishException.class)
			.hasMessageContaining("Broker refused message async.second");
	}

	@Test
	void noConfirmWithinTheTimeoutCompletesTheFutureExceptionally() {
		String exchange = exchange();
		this.connectionFactory.setRequestedHeartBeat(30);
		ConfirmedSender sender = sender();
		sender.sendAsync(exchange, "async.warm", message("warm")).join();
		this.proxy.freeze();

		CompletableFuture<Void> frozen = sender.sendAsync(exchange, "async.frozen", message("frozen"));

		await().atMost(CONFIRM_TIMEOUT.plusSeconds(2)).until(frozen::isDone);
		assertThat(catchThrowable(frozen::join)).cause()
			.isInstanceOf(EventPublishException.class)
			.hasMessageContaining("within " + CONFIRM_TIMEOUT);
	}

	private String exchange() {
		String exchange = this.namespace.eventsExchange();
		new RabbitAdmin(this.direct).declareExchange(new TopicExchange(exchange, true, false));
		return exchange;
	}

	private ConfirmedSender sender() {
		return sender(CONFIRM_TIMEOUT);
	}

	private ConfirmedSender sender(Duration confirmTimeout) {
		this.connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		this.sender = new ConfirmedSender(new RabbitTemplate(this.connectionFactory), confirmTimeout,
				new BrokerBlocking(Clock.systemUTC()), TestThreads.daemon("publisher"),
				TestThreads.daemon("async-publisher"));
		return this.sender;
	}

	private static Message message(String id) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(id);
		return new Message(id.getBytes(StandardCharsets.UTF_8), properties);
	}

}
