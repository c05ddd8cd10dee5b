package io.eventlistener.reply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.eventlistener.Event;
import io.eventlistener.EventPublishException;
import io.eventlistener.EventPublisher;
import io.eventlistener.EventReply;
import io.eventlistener.EventReplyException;
import io.eventlistener.it.Company;
import io.eventlistener.metrics.ReplyMetrics;
import io.eventlistener.publish.EventRequester;
import io.eventlistener.reply.ReplyTestApplication.Replier;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.wire.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request/reply against the real broker, both ways and as outside clients do it: our
 * requester and a raw RabbitMQ client ask two observers whose handler answers (the first
 * reply wins, the second is counted); a timeout, a late reply, a handler exception (an
 * error reply, not a hang) and a request no queue is bound for; and our requester asking
 * a raw client that answers.
 */
class RequestReplyIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static TestNamespace namespace;

	private static ConfigurableApplicationContext application;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(Company.DDL);
		namespace.sql("insert into company (name, active, routing_keys) values ('first', true, 'request.#')",
				"insert into company (name, active, routing_keys) values ('second', true, 'request.#')");
		application = namespace.start(ReplyTestApplication.class, "spring.application.name=replier",
				"event-listener.retry.max-attempts=1");
	}

	@AfterAll
	static void stop() {
		if (application != null) {
			application.close();
		}
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void theFirstReplyAnswersAndTheSecondIsCounted() throws Exception {
		double extra = dropped("extra");

		EventReply reply = publisher().request(request("echo", 1), TIMEOUT).get();

		assertThat(reply.as(Map.class)).containsEntry("seq", 1).containsKey("observer");
		assertThat(reply.publisherId()).isEqualTo("replier");
		// two observers matched: one reply too many
		await().atMost(TIMEOUT).until(() -> dropped("extra") > extra);
	}

	@Test
	void noReplyWithinTheTimeoutFailsAndTheLateReplyIsCounted() {
		double late = dropped("late");
		Replier replier = application.getBean(Replier.class);

		CompletableFuture<EventReply> slow = publisher().request(request("slow", 2), Duration.ofSeconds(1));

		assertThat(slow).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(TimeoutException.class)
			.withMessageContaining("No reply to request request.slow within PT1S");
		replier.release.countDown();
		await().atMost(TIMEOUT).until(() -> dropped("late") > late);
	}

	@Test
	void aHandlerExceptionIsAnErrorReply() {
		CompletableFuture<EventReply> failing = publisher().request(request("fail", 3), TIMEOUT);

		assertThat(failing).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(EventReplyException.class)
			.withMessageContaining("IllegalStateException: handler-failed");
	}

	@Test
	void aRequestNoQueueIsBoundForFailsAtOnce() {
		Event nobody = Event.builder().type("nobody").action("home").build();

		assertThat(publisher().request(nobody, TIMEOUT)).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(EventPublishException.class)
			.withMessageContaining("reached no queue");
	}

	@Test
	void aPublishedEventIsHandledAndItsReplyIgnored() {
		Replier replier = application.getBean(Replier.class);
		int calls = replier.calls.get();
		double late = dropped("late");

		publisher().publish(request("echo", 4));

		await().atMost(TIMEOUT).until(() -> replier.calls.get() >= calls + 2);
		assertThat(dropped("late")).isEqualTo(late);
	}

	@Test
	void aRawClientRequesterGetsTheReplyAndTheErrorReply() throws Exception {
		try (Connection connection = rawConnection(); Channel channel = connection.createChannel()) {
			CompletableFuture<GetResponse> echo = new CompletableFuture<>();
			CompletableFuture<GetResponse> error = new CompletableFuture<>();
			channel.basicConsume(EventRequester.DIRECT_REPLY_TO, true, (tag, delivery) -> {
				GetResponse response = new GetResponse(delivery.getEnvelope(), delivery.getProperties(),
						delivery.getBody(), 0);
				(delivery.getProperties().getCorrelationId().equals("raw-echo") ? echo : error).complete(response);
			}, (tag) -> {
			});
			// isimud's bytes: no content type, no message id; only reply_to and
			// correlation_id
			for (String action : new String[] { "echo", "fail" }) {
				channel.basicPublish(namespace.eventsExchange(), "request." + action,
						new AMQP.BasicProperties.Builder().replyTo(EventRequester.DIRECT_REPLY_TO)
							.correlationId("raw-" + action)
							.build(),
						new EventCodec().write(request(action, 5)));
			}

			GetResponse answer = echo.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
			assertThat(answer.getProps().getContentType()).isEqualTo("application/json");
			assertThat(answer.getProps().getAppId()).isEqualTo("replier");
			assertThat(new String(answer.getBody(), StandardCharsets.UTF_8)).contains("\"seq\":5");
			GetResponse failure = error.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
			assertThat(failure.getProps().getHeaders()).containsKey(EventReplyException.HEADER);
			assertThat(String.valueOf(failure.getProps().getHeaders().get(EventReplyException.HEADER)))
				.isEqualTo("IllegalStateException");
			assertThat(new String(failure.getBody(), StandardCharsets.UTF_8))
				.isEqualTo("{\"error\":\"IllegalStateException\",\"code\":\"handler-failed\"}");
		}
	}

	@Test
	void aReplyToAnotherApplicationsQueueIsRefusedAndTheRequestHandled() throws Exception {
		String foreign = namespace.queuePrefix() + "-other-app.inbox";
		try (Connection connection = rawConnection(); Channel channel = connection.createChannel()) {
			channel.queueDeclare(foreign, false, false, true, null);
			java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
			channel.basicConsume(EventRequester.DIRECT_REPLY_TO, true, (tag, delivery) -> answers.incrementAndGet(),
					(tag) -> {
					});
			// two observers match the forged request; each handles it
			channel.basicPublish(namespace.eventsExchange(), "request.echo",
					new AMQP.BasicProperties.Builder().replyTo(foreign).correlationId("forged").build(),
					new EventCodec().write(request("echo", 6)));
			// each observer's queue is consumed in order: once both answered this one,
			// both have handled (and would have answered) the forged one
			channel.basicPublish(namespace.eventsExchange(), "request.echo",
					new AMQP.BasicProperties.Builder().replyTo(EventRequester.DIRECT_REPLY_TO)
						.correlationId("after")
						.build(),
					new EventCodec().write(request("echo", 7)));

			await().atMost(TIMEOUT).until(() -> answers.get() == 2);
			assertThat(channel.queueDeclarePassive(foreign).getMessageCount()).isZero();
			assertThat(refusedReplies()).isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void anErrorReplyCarriesTheTypeAndCodeButNotTheMessage() throws Exception {
		try (Connection connection = rawConnection(); Channel channel = connection.createChannel()) {
			CompletableFuture<GetResponse> error = new CompletableFuture<>();
			channel.basicConsume(EventRequester.DIRECT_REPLY_TO, true,
					(tag, delivery) -> error.complete(
							new GetResponse(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody(), 0)),
					(tag) -> {
					});
			channel.basicPublish(namespace.eventsExchange(), "request.fail",
					new AMQP.BasicProperties.Builder().replyTo(EventRequester.DIRECT_REPLY_TO)
						.correlationId("x".repeat(200))
						.build(),
					new EventCodec().write(request("fail", 7)));

			GetResponse failure = error.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
			assertThat(new String(failure.getBody(), StandardCharsets.UTF_8))
				.isEqualTo("{\"error\":\"IllegalStateException\",\"code\":\"handler-failed\"}");
			// an overlong correlation id is not copied
			assertThat(failure.getProps().getCorrelationId()).isNull();
		}
	}

	@Test
	void aRawClientResponderAnswersOurRequest() throws Exception {
		String queue = namespace.queuePrefix() + ".raw-responder";
		try (Connection connection = rawConnection(); Channel channel = connection.createChannel()) {
			channel.queueDeclare(queue, false, false, true, null);
			channel.queueBind(queue, namespace.eventsExchange(), "rpc.#");
			channel.basicConsume(queue, true, (tag, delivery) -> {
				AMQP.BasicProperties request = delivery.getProperties();
				channel.basicPublish("", request.getReplyTo(),
						new AMQP.BasicProperties.Builder().correlationId(request.getCorrelationId())
							.appId("raw-responder")
							.build(),
						"{\"answer\":42}".getBytes(StandardCharsets.UTF_8));
			}, (tag) -> {
			});

			EventReply reply = publisher().request(Event.builder().type("rpc").action("ask").build(), TIMEOUT).get();

			assertThat(reply.as(Map.class)).containsEntry("answer", 42);
			assertThat(reply.publisherId()).isEqualTo("raw-responder");
		}
	}

	private static Event request(String action, int seq) {
		return Event.builder().type("request").action(action).parameter("seq", seq).build();
	}

	private static EventPublisher publisher() {
		return application.getBean(EventPublisher.class);
	}

	private static double dropped(String reason) {
		return application.getBean(MeterRegistry.class)
			.get(ReplyMetrics.DROPPED_REPLIES)
			.tag("reason", reason)
			.functionCounter()
			.count();
	}

	private static double refusedReplies() {
		return application.getBean(MeterRegistry.class)
			.get(ReplyMetrics.REPLIES)
			.tag("outcome", "refused")
			.functionCounter()
			.count();
	}

	private static Connection rawConnection() throws IOException, java.util.concurrent.TimeoutException {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServices.RABBIT_HOST);
		factory.setPort(LocalServices.RABBIT_PORT);
		return factory.newConnection("raw-rpc-test");
	}

}
