package io.eventlistener.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

import io.eventlistener.Event;
import io.eventlistener.outbox.BrokerBlocking;
import io.eventlistener.outbox.ConfirmedSender;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishes a numbered stream of events ({@code fault.stream} with a {@code seq}
 * parameter) straight to the broker, each confirmed; a publish the broker does not
 * confirm (it is down) is tried again until it is. Then compares what was published with
 * what the handlers saw: lost, handled, duplicates.
 */
public final class NumberedStream implements AutoCloseable {

	public static final String ROUTING_KEY = "fault.stream";

	private final CachingConnectionFactory connectionFactory;

	private final ConfirmedSender sender;

	private final String exchange;

	private final EventCodec codec = new EventCodec();

	private final AtomicInteger published = new AtomicInteger();

	private final AtomicInteger sends = new AtomicInteger();

	private final boolean reconnectWhenUnconfirmed;

	public NumberedStream(String exchange) {
		this(exchange, RabbitBroker.RABBITMQ_3);
	}

	/**
	 * A stream whose events may take long to confirm (routed to thousands of durable
	 * queues on a busy broker): a publish waits this long for its confirm before it is
	 * sent again, which duplicates it in every queue it reached ({@link #sends()}).
	 * @param exchange the exchange
	 * @param confirmTimeout how long a publish waits for its confirm
	 */
	public NumberedStream(String exchange, Duration confirmTimeout) {
		this(exchange, new CachingConnectionFactory(RabbitBroker.RABBITMQ_3.host(), RabbitBroker.RABBITMQ_3.port()),
				false, confirmTimeout);
	}

	/**
	 * A stream published to the given broker.
	 * @param exchange the exchange
	 * @param rabbit the broker
	 */
	public NumberedStream(String exchange, RabbitBroker rabbit) {
		this(exchange, new CachingConnectionFactory(rabbit.host(), rabbit.port()), false);
	}

	/**
	 * A stream published through one of several cluster nodes that is up. A publish that
	 * is not confirmed is tried again on a new connection: on RabbitMQ 3.10 a channel
	 * that published to quorum queues whose leader's node was killed was seen to get no
	 * confirm for minutes, though new leaders were elected within a second.
	 * @param exchange the exchange
	 * @param addresses {@code host:port,host:port...}
	 */
	public NumberedStream(String exchange, String addresses) {
		this(exchange, addressed(addresses), true);
	}

	private NumberedStream(String exchange, CachingConnectionFactory connectionFactory,
			boolean reconnectWhenUnconfirmed) {
		this(exchange, connectionFactory, reconnectWhenUnconfirmed, Duration.ofSeconds(5));
	}

	private NumberedStream(String exchange, CachingConnectionFactory connectionFactory,
			boolean reconnectWhenUnconfirmed, Duration confirmTimeout) {
		this.reconnectWhenUnconfirmed = reconnectWhenUnconfirmed;
		this.exchange = exchange;
		this.connectionFactory = connectionFactory;
		this.connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		this.sender = new ConfirmedSender(new RabbitTemplate(this.connectionFactory), confirmTimeout,
				new BrokerBlocking(Clock.systemUTC()), TestThreads.daemon("publisher"),
				TestThreads.daemon("async-publisher"));
	}

	/**
	 * Publish events {@code from..to} in the background, calling {@code fault} after each
	 * confirmed one; a fault that returns {@code true} is not called again.
	 */
	public CompletableFuture<Void> publishAsync(int from, int to, IntPredicate fault) {
		return publishAsync(from, to, 0, fault);
	}

	/**
	 * Publish events {@code from..to} in the background at a steady rate (a load, not a
	 * burst), calling {@code fault} after each confirmed one; a fault that returns
	 * {@code true} is not called again. A publish that waited for the broker delays the
	 * next ones; the rate is not caught up.
	 * @param perSecond events per second, or 0 for as fast as the confirms come
	 */
	public CompletableFuture<Void> publishAsync(int from, int to, int perSecond, IntPredicate fault) {
		long interval = (perSecond > 0) ? 1_000_000_000L / perSecond : 0;
		return CompletableFuture.runAsync(() -> {
			boolean injected = false;
			long due = System.nanoTime();
			for (int seq = from; seq <= to; seq++) {
				LockSupport.parkNanos(due - System.nanoTime());
				due = Math.max(due + interval, System.nanoTime() - interval);
				publish(seq);
				if (!injected) {
					injected = fault.test(seq);
				}
			}
		});
	}

	/**
	 * Publish the next events in the background, one per {@code interval}, until
	 * {@code done} says so. A publish that waited for the broker delays the next ones;
	 * the rate is not caught up.
	 */
	public CompletableFuture<Void> publishUntil(Duration interval, BooleanSupplier done) {
		return CompletableFuture.runAsync(() -> {
			long due = System.nanoTime();
			while (!done.getAsBoolean()) {
				publish(published() + 1);
				due = Math.max(due + interval.toNanos(), System.nanoTime());
				while (!done.getAsBoolean() && System.nanoTime() < due) {
					LockSupport.parkNanos(Math.min(due - System.nanoTime(), 100_000_000L));
				}
			}
		});
	}

	/**
	 * Publish one event, trying until the broker confirms it.
	 */
	public void publish(int seq) {
		Event event = Event.builder().type("fault").action("stream").parameter("seq", seq).build();
		MessageProperties properties = new MessageProperties();
		properties.setMessageId("seq-" + seq);
		Message message = new Message(this.codec.write(event), properties);
		if (!tryPublish(message)) {
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> tryPublish(message));
		}
		this.published.incrementAndGet();
	}

	private boolean tryPublish(Message message) {
		this.sends.incrementAndGet();
		try {
			this.sender.send(this.exchange, ROUTING_KEY, message);
			return true;
		}
		catch (RuntimeException ex) {
			// unconfirmed, or (a node killed mid-send) failed in another way
			if (this.reconnectWhenUnconfirmed) {
				this.connectionFactory.resetConnection();
			}
			return false;
		}
	}

	private static CachingConnectionFactory addressed(String addresses) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory();
		connectionFactory.setAddresses(addresses);
		return connectionFactory;
	}

	public int published() {
		return this.published.get();
	}

	/**
	 * How many times events were sent: more than {@link #published()} when a publish was
	 * not confirmed in time and sent again.
	 * @return the sends
	 */
	public int sends() {
		return this.sends.get();
	}

	/**
	 * Compare the sequence numbers {@code 1..count} with what was handled.
	 */
	public static Outcome count(String fault, int count, List<Integer> handled) {
		Set<Integer> seen = new HashSet<>();
		int duplicates = 0;
		for (Integer seq : handled) {
			if (!seen.add(seq)) {
				duplicates++;
			}
		}
		int lost = 0;
		for (int seq = 1; seq <= count; seq++) {
			if (!seen.contains(seq)) {
				lost++;
			}
		}
		return new Outcome(fault, count, handled.size(), lost, duplicates);
	}

	@Override
	public void close() {
		this.sender.destroy();
		this.connectionFactory.destroy();
	}

	/**
	 * One fault case's summary line.
	 */
	public record Outcome(String fault, int published, int handled, int lost, int duplicates) {

		@Override
		public String toString() {
			return String.format("fault-suite | %-48s | published %5d | handled %5d | lost %d | duplicates %d",
					this.fault, this.published, this.handled, this.lost, this.duplicates);
		}

		/**
		 * Print this outcome with the duplicates the case allows, then assert that
		 * nothing was lost and no more duplicates reached the handler than allowed.
		 * @param allowedDuplicates the most duplicates the design allows in this case
		 * @param why why that many: what can be handled twice
		 */
		public void assertLostNoneAndDuplicatesAtMost(int allowedDuplicates, String why) {
			System.out.println(this + " (allowed " + allowedDuplicates + ": " + why + ")");
			assertThat(this.lost).as("lost, %s", this).isZero();
			assertThat(this.duplicates).as("duplicates, %s; allowed %d: %s", this, allowedDuplicates, why)
				.isLessThanOrEqualTo(allowedDuplicates);
		}

		/**
		 * Print this outcome with the duplicates the case allows and the log lines the
		 * fault caused beside their bounds, then assert all three: nothing lost, no more
		 * duplicates than allowed, no more noise than allowed.
		 * @param allowedDuplicates the most duplicates the design allows in this case
		 * @param why why that many: what can be handled twice
		 * @param noise the ERROR and stack-trace lines the case logged, with their bounds
		 */
		public void assertLostNoneAndDuplicatesAtMost(int allowedDuplicates, String why, LogNoise noise) {
			System.out.println(this + " | " + noise + " (allowed " + allowedDuplicates + ": " + why + ")");
			assertThat(this.lost).as("lost, %s", this).isZero();
			assertThat(this.duplicates).as("duplicates, %s; allowed %d: %s", this, allowedDuplicates, why)
				.isLessThanOrEqualTo(allowedDuplicates);
			noise.assertWithinBounds();
		}

	}

}
