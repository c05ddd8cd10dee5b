package io.eventlistener.it;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.outbox.OutboxRepository;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.testsupport.TestThreads;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox keeps order and sends each row once while the broker link is cut: three
 * instances publish inside transactions, each transaction two events about one of
 * {@value #OBJECTS} objects (it takes the object's row lock, so the transactions about
 * one object commit one after the other, each numbering its events after the last), while
 * their link to the broker (a {@link TcpProxy}) is cut for {@link #CUT}. After-commit
 * sends fail during the cut, and later transactions about the same objects wait behind
 * them; the relays of the three instances send what waited.
 * <p>
 * A fourth instance, on a link of its own, consumes two observers in {@code ORDERED} mode
 * (one consumer at a time, so delivery order is broker order): each must receive each
 * object's events numbered 1 to {@value #EVENTS_PER_OBJECT}, in that order. A raw
 * consumer of the events exchange counts the message ids it receives twice: rows sent
 * twice, allowed 0.
 */
class OutboxOrderIntegrationTests {

	private static final int OBJECTS = 50;

	private static final int EVENTS_PER_OBJECT = 40;

	/** Each transaction publishes two events about its object. */
	private static final int TRANSACTIONS = OBJECTS * EVENTS_PER_OBJECT / 2;

	private static final int INSTANCES = 3;

	private static final Duration CUT = Duration.ofSeconds(20);

	/** Transactions per second of each instance: the stream outlasts the cut. */
	private static final int RATE = 8;

	private static final Duration RECOVERY = Duration.ofSeconds(120);

	private final TestNamespace namespace = TestNamespace.create(Company.DDL,
			"create table item (id bigint primary key, version int not null default 0)");

	private final TcpProxy rabbit = new TcpProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);

	private final ExecutorService publishers = Executors.newFixedThreadPool(INSTANCES,
			TestThreads.daemon("outbox-order-publisher"));

	private Connection rawConnection;

	@AfterEach
	void stop() throws IOException {
		this.publishers.shutdownNow();
		if (this.rawConnection != null) {
			this.rawConnection.close();
		}
		this.namespace.close();
		this.rabbit.close();
	}

	@Test
	void eachObjectsEventsArriveInCommitOrderAndNoRowIsSentTwice() throws Exception {
		for (int id = 1; id <= OBJECTS; id++) {
			this.namespace.sql("insert into item (id) values (" + id + ")");
		}
		this.namespace.sql("insert into company (name, active, routing_keys) values ('first', true, 'item.#')",
				"insert into company (name, active, routing_keys) values ('second', true, 'item.#')");
		List<Long> observers = this.namespace.queryForLongs("select id from company order by id");
		ConfigurableApplicationContext consumer = this.namespace.start(ObserverTestApplication.class,
				"event-listener.delivery.observers.Company=ordered");
		Queue<String> rawMessageIds = consumeRaw();
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			// publishing only: the consumer above is the one that consumes
			instances
				.add(this.namespace.start(ObserverTestApplication.class, "spring.rabbitmq.port=" + this.rabbit.port(),
						"event-listener.auto-startup=false", "event-listener.publisher.confirm-timeout=2s",
						"event-listener.outbox.relay-interval=500ms", "event-listener.outbox.retry-after=2s"));
		}

		AtomicInteger next = new AtomicInteger();
		AtomicInteger committed = new AtomicInteger();
		List<CompletableFuture<Void>> publishing = instances.stream()
			.map((instance) -> CompletableFuture.runAsync(() -> publish(instance, next, committed), this.publishers))
			.toList();
		await().atMost(RECOVERY).until(() -> committed.get() >= TRANSACTIONS / 5);
		this.rabbit.pause();
		Instant cut = Instant.now();
		int committedAtCut = committed.get();
		await().atMost(RECOVERY).until(() -> Duration.between(cut, Instant.now()).compareTo(CUT) >= 0);
		OutboxRepository outbox = instances.get(0).getBean(OutboxRepository.class);
		int waitingAtReturn = outbox.count();
		int committedDuringCut = committed.get() - committedAtCut;
		this.rabbit.resume();
		CompletableFuture.allOf(publishing.toArray(CompletableFuture[]::new)).join();

		RecordingHandler handler = consumer.getBean(RecordingHandler.class);
		int expected = OBJECTS * EVENTS_PER_OBJECT;
		await().atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> handler.deliveries().size() >= expected * observers.size() && outbox.count() == 0);
		int sentTwice = rawMessageIds.size() - new HashSet<>(rawMessageIds).size();
		System.out.println("outbox order | " + INSTANCES + " instances, " + TRANSACTIONS + " transactions ("
				+ committedDuringCut + " during the " + CUT.toSeconds() + " s cut), " + expected + " events about "
				+ OBJECTS + " objects | waiting in the outbox when the link came back " + waitingAtReturn
				+ " | received raw " + rawMessageIds.size() + " | rows sent twice " + sentTwice + " (allowed 0)");
		assertThat(committedDuringCut).as("transactions committed during the cut").isPositive();
		assertThat(waitingAtReturn).as("rows waiting in the outbox when the link came back").isPositive();
		for (Long observer : observers) {
			Map<String, List<Object>> versions = handler.deliveries()
				.stream()
				.filter((delivery) -> delivery.companyId().equals(observer))
				.collect(Collectors.groupingBy((delivery) -> delivery.event().eventfulId(), Collectors
					.mapping((delivery) -> delivery.event().parameters().get("version"), Collectors.toList())));
			List<Object> inCommitOrder = IntStream.rangeClosed(1, EVENTS_PER_OBJECT)
				.boxed()
				.map(Object.class::cast)
				.toList();
			assertThat(versions).as("objects observer %d received events about", observer).hasSize(OBJECTS);
			versions.forEach((object, received) -> assertThat(received)
				.as("events about Item#%s as observer %d received them", object, observer)
				.isEqualTo(inCommitOrder));
		}
		assertThat(rawMessageIds).as("messages the raw consumer received").hasSize(expected + sentTwice);
		assertThat(sentTwice).as("rows sent twice (by message id at a raw consumer)").isZero();
	}

	/**
	 * Publish transactions until {@value #TRANSACTIONS} are committed by all instances
	 * together, at {@value #RATE} per second: each locks one object's row, numbers two
	 * events after its last, and publishes them.
	 */
	private static void publish(ConfigurableApplicationContext instance, AtomicInteger next, AtomicInteger committed) {
		TransactionTemplate transaction = instance.getBean(TransactionTemplate.class);
		JdbcTemplate jdbc = instance.getBean(JdbcTemplate.class);
		EventPublisher publisher = instance.getBean(EventPublisher.class);
		long interval = 1_000_000_000L / RATE;
		long due = System.nanoTime();
		for (int n = next.getAndIncrement(); n < TRANSACTIONS; n = next.getAndIncrement()) {
			LockSupport.parkNanos(due - System.nanoTime());
			due += interval;
			int object = n % OBJECTS + 1;
			transaction.executeWithoutResult((status) -> {
				Integer version = jdbc.queryForObject(
						"update item set version = version + 2 where id = ? returning version", Integer.class, object);
				publisher.publish(event(object, version - 1));
				publisher.publish(event(object, version));
			});
			committed.incrementAndGet();
		}
	}

	private static Event event(int object, int version) {
		return Event.builder()
			.type("item")
			.action("changed")
			.eventful("Item", object)
			.parameter("version", version)
			.build();
	}

	/**
	 * Consume a copy of everything published to the events exchange, as any client would,
	 * on a link that is not cut, and keep each message id (the consumer declared the
	 * exchange).
	 */
	private Queue<String> consumeRaw() throws IOException, TimeoutException {
		String queue = this.namespace.queuePrefix() + ".raw";
		RawAmqp.tap(queue, this.namespace.eventsExchange());
		Queue<String> messageIds = new ConcurrentLinkedQueue<>();
		this.rawConnection = this.namespace.rabbit().connectionFactory().newConnection("outbox-order-raw");
		Channel channel = this.rawConnection.createChannel();
		channel.basicConsume(queue, true, (tag, delivery) -> {
			new EventCodec().read(delivery.getBody());
			messageIds.add(delivery.getProperties().getMessageId());
		}, (tag) -> {
		});
		return messageIds;
	}

}
