package io.eventlistener.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.outbox.BrokerBlocking;
import io.eventlistener.outbox.ConfirmedSender;
import io.eventlistener.outbox.MessageOutbox;
import io.eventlistener.publish.ConfirmingEventPublisher;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Publishes/s through the starter's {@link EventPublisher} on the local RabbitMQ, outside
 * a transaction: {@code publish} (one confirm awaited per event) against
 * {@code publishAsync} (all sent, then all confirms awaited once). Persistent ~1 KiB
 * events to one durable queue; medians of 3 rounds. Run with
 * {@code ./mvnw -pl benchmarks -am package -DskipTests -Pbenchmark -Dbenchmark.main=io.eventlistener.benchmarks.PublishBenchmark}.
 */
public final class PublishBenchmark {

	private static final int SYNC_EVENTS = 5_000;

	private static final int ASYNC_EVENTS = 50_000;

	private static final int ROUNDS = 3;

	private PublishBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String name = "elbench-pub-" + Long.toString(System.nanoTime(), 36);
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(Rabbit.HOST);
		connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		Queue queue = new Queue(name, true);
		TopicExchange exchange = new TopicExchange(name, true, false);
		admin.declareExchange(exchange);
		admin.declareQueue(queue);
		admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with("#"));
		CustomizableThreadFactory publisherThreads = new CustomizableThreadFactory("publisher-");
		publisherThreads.setDaemon(true);
		ConfirmedSender sender = new ConfirmedSender(new RabbitTemplate(connectionFactory), Duration.ofSeconds(30),
				new BrokerBlocking(Clock.systemUTC()), publisherThreads, publisherThreads);
		EventPublisher publisher = new ConfirmingEventPublisher(new MessageOutbox(null, sender, Clock.systemUTC()),
				new EventCodec(), name);
		Event event = Event.builder()
			.action("create")
			.eventful("Invoice", 1)
			.attributes(java.util.Map.of("payload", "x".repeat(900)))
			.build();
		try {
			double[] sync = new double[ROUNDS];
			double[] async = new double[ROUNDS];
			for (int round = 0; round < ROUNDS; round++) {
				long start = System.nanoTime();
				for (int i = 0; i < SYNC_EVENTS; i++) {
					publisher.publish(event);
				}
				sync[round] = SYNC_EVENTS / seconds(start);
				start = System.nanoTime();
				List<CompletableFuture<Void>> sends = new ArrayList<>(ASYNC_EVENTS);
				for (int i = 0; i < ASYNC_EVENTS; i++) {
					sends.add(publisher.publishAsync(event));
				}
				CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
				async[round] = ASYNC_EVENTS / seconds(start);
				admin.purgeQueue(name, false);
				System.out.printf("round %d: publish %.0f/s, publishAsync %.0f/s%n", round + 1, sync[round],
						async[round]);
			}
			System.out.printf("median: publish %.0f/s, publishAsync %.0f/s (x%.1f)%n", median(sync), median(async),
					median(async) / median(sync));
		}
		finally {
			admin.deleteQueue(name);
			admin.deleteExchange(name);
			sender.destroy();
			connectionFactory.destroy();
		}
		System.exit(0);
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
