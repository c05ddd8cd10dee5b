package io.eventlistener.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * What decided the in-process subscriptions' topology (docs/architecture.md): 100
 * subscriptions on distinct routing keys as one exclusive queue with 100 bindings, or as
 * 100 exclusive queues with a consumer (and channel) each, on the local RabbitMQ with a
 * raw client. Prints, per round: set-up time, the time to deliver 20,000 events of
 * isimud's bytes (each matching one subscription) and the time to close. Run:
 * {@code ./mvnw -q -pl benchmarks -am package -DskipTests -Pbenchmark
 * -Dbenchmark.main=io.eventlistener.benchmarks.SubscriptionQueueBenchmark} (it ignores
 * the other benchmarks' arguments).
 */
public final class SubscriptionQueueBenchmark {

	private static final int SUBSCRIPTIONS = 100;

	private static final int EVENTS = 20_000;

	private static final byte[] BODY = ("{\"type\":\"model\",\"action\":\"create\",\"user_id\":null,"
			+ "\"occurred_at\":\"2026-12-02T02:00:00.000Z\",\"eventful_type\":\"Invoice\",\"eventful_id\":1,"
			+ "\"session_id\":null,\"parameters\":{},\"attributes\":null}")
		.getBytes(StandardCharsets.UTF_8);

	private SubscriptionQueueBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		for (int round = 1; round <= 3; round++) {
			System.out.println("round " + round + ", one queue:        " + run(factory, true));
			System.out.println("round " + round + ", queue per subscr.: " + run(factory, false));
		}
	}

	private static String run(ConnectionFactory factory, boolean shared)
			throws IOException, TimeoutException, InterruptedException {
		String exchange = "elbench-subscriptions." + System.nanoTime();
		try (Connection publisher = factory.newConnection("elbench-subscriptions-publisher");
				Connection subscriber = factory.newConnection("elbench-subscriptions")) {
			Channel publishing = publisher.createChannel();
			publishing.exchangeDeclare(exchange, "topic", false, true, null);
			AtomicLong received = new AtomicLong();
			long start = System.nanoTime();
			List<Channel> channels = new ArrayList<>();
			int queues = shared ? 1 : SUBSCRIPTIONS;
			for (int queue = 0; queue < queues; queue++) {
				Channel channel = subscriber.createChannel();
				channel.basicQos(250);
				String name = channel.queueDeclare("", false, true, false, null).getQueue();
				for (int key = 0; key < SUBSCRIPTIONS; key++) {
					if (shared || key == queue) {
						channel.queueBind(name, exchange, "model.T" + key + ".#");
					}
				}
				channel.basicConsume(name, true, (tag, delivery) -> received.incrementAndGet(), (tag) -> {
				});
				channels.add(channel);
			}
			long setUp = System.nanoTime() - start;
			publishing.confirmSelect();
			start = System.nanoTime();
			for (int i = 0; i < EVENTS; i++) {
				publishing.basicPublish(exchange, "model.T" + (i % SUBSCRIPTIONS) + ".1.create", null, BODY);
			}
			publishing.waitForConfirmsOrDie(60_000);
			while (received.get() < EVENTS) {
				Thread.onSpinWait();
			}
			long deliver = System.nanoTime() - start;
			start = System.nanoTime();
			for (Channel channel : channels) {
				channel.close();
			}
			long close = System.nanoTime() - start;
			return String.format("set up %.0f ms, deliver %,d events %.0f ms (%,.0f/s), close %.0f ms, %d channels",
					setUp / 1e6, EVENTS, deliver / 1e6, EVENTS / (deliver / 1e9), close / 1e6, channels.size());
		}
	}

}
