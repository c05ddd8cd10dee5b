package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.GetResponse;
import io.eventlistener.EventPublishException;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.testsupport.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link ConfirmedSender} against the real broker behind a {@link TcpProxy} that freezes
 * the network (no bytes, sockets open) with a heartbeat far longer than the test: a send
 * returns within the confirm timeout whether its channel is open, a new channel is
 * needed, or every publisher thread is stuck; what was handed to the client arrives once
 * the network thaws, what was not never does.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfirmedSenderIntegrationTests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * The bound a caller waits: the confirm timeout and a margin for a loaded machine.
	 */
	private static final Duration BOUND = CONFIRM_TIMEOUT.plusSeconds(1);

	private final TestNamespace namespace = TestNamespace.create();

	private final TcpProxy proxy = new TcpProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);

	private final CachingConnectionFactory connectionFactory = new CachingConnectionFactory(LocalServices.RABBIT_HOST,
			this.proxy.port());

	private final List<ConfirmedSender> senders = new ArrayList<>();

	@AfterEach
	void close() {
		this.proxy.thaw();
		this.senders.forEach(ConfirmedSender::destroy);
		this.connectionFactory.destroy();
		this.proxy.close();
		this.namespace.close();
	}

	@Test
	void sendsWhileTheNetworkIsFrozenReturnWithinTheConfirmTimeout(CapturedOutput output) {
		String exchange = this.namespace.eventsExchange();
		String tap = this.namespace.queuePrefix() + ".tap";
		declare(exchange, tap);
		this.connectionFactory.setRequestedHeartBeat(30);
		this.connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		ConfirmedSender sender = sender(ConfirmedSender.THREADS, ConfirmedSender.QUEUED);
		sender.send(exchange, "frozen.test", message("warm"));
		this.proxy.freeze();

		// the cached channel (unless it is not back in the cache yet): sent, never
		// confirmed
		assertThat(timedSend(sender, exchange, "on-open-channel")).hasMessageContaining("may still be delivered");
		// that channel is not returned to the cache before its confirm: a new one is
		// opened (unless the first send found none and this one gets it back); either
		// way it returns within the bound
		assertThat(timedSend(sender, exchange, "needs-new-channel")).hasMessageContaining("may still be delivered");

		// one publisher thread, stuck opening a channel; one send waits for it; the next
		// is
		// refused at once
		ConfirmedSender narrow = sender(1, 1);
		assertThat(timedSend(narrow, exchange, "stuck-thread")).hasMessageContaining("may still be delivered");
		CompletableFuture<Throwable> queued = CompletableFuture
			.supplyAsync(() -> timedSend(narrow, exchange, "queued"));
		await().atMost(BOUND).until(() -> narrow.waitingSends() == 1);
		long start = System.nanoTime();
		Throwable refused = catchThrowable(() -> narrow.send(exchange, "frozen.test", message("refused")));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
		assertThat(refused).isInstanceOf(EventPublishException.class)
			.hasMessageContaining("did not answer earlier sends")
			.hasMessageContaining("was not sent");
		assertThat(queued.join()).hasMessageContaining("The broker did not answer within")
			.hasMessageContaining("was not sent");

		this.proxy.thaw();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> sender.send(exchange, "frozen.test", message("thawed")));
		// a send that timed out after thawing may arrive twice: compare the distinct ids
		Set<String> arrived = new HashSet<>();
		Set<String> handedToTheClient = Set.of("warm", "on-open-channel", "needs-new-channel", "stuck-thread",
				"thawed");
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			for (GetResponse response = RawAmqp.get(tap); response != null; response = RawAmqp.get(tap)) {
				arrived.add(response.getProps().getMessageId());
			}
			return arrived.containsAll(handedToTheClient);
		});
		assertThat(arrived).as("never sent").doesNotContain("queued", "refused");
		assertThat(output).contains("message id on-open-channel) after the confirm timeout");
	}

	private static Throwable timedSend(ConfirmedSender sender, String exchange, String id) {
		long start = System.nanoTime();
		Throwable thrown = catchThrowable(() -> sender.send(exchange, "frozen.test", message(id)));
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		System.out.println("confirmed-sender | frozen network: send " + id + " returned after " + waited.toMillis()
				+ " ms: " + thrown);
		assertThat(waited).as("time send %s waited", id).isLessThan(BOUND);
		assertThat(thrown).isInstanceOf(EventPublishException.class);
		return thrown;
	}

	private ConfirmedSender sender(int threads, int queued) {
		ConfirmedSender sender = new ConfirmedSender(new RabbitTemplate(this.connectionFactory), CONFIRM_TIMEOUT,
				new BrokerBlocking(Clock.systemUTC()), TestThreads.daemon("publisher"),
				TestThreads.daemon("async-publisher"), threads, queued);
		this.senders.add(sender);
		return sender;
	}

	private static void declare(String exchange, String tap) {
		CachingConnectionFactory direct = new CachingConnectionFactory(LocalServices.RABBIT_HOST,
				LocalServices.RABBIT_PORT);
		try {
			new RabbitAdmin(direct).declareExchange(new TopicExchange(exchange, true, false));
		}
		finally {
			direct.destroy();
		}
		RawAmqp.tap(tap, exchange);
	}

	private static Message message(String id) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(id);
		return new Message(id.getBytes(java.nio.charset.StandardCharsets.UTF_8), properties);
	}

}
