package io.eventlistener.benchmarks;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.eventlistener.benchmarks.app.Subscriber;
import org.jspecify.annotations.Nullable;

/**
 * The soak's steady load, published as isimud does: a raw client, persistent 1 KiB
 * events, each waited for its publisher confirm. Event {@code seq} carries
 * {@code eventful_id = seq} and goes to observer {@code 1 + seq % observers}. A publish
 * that fails or is not confirmed (the broker is stopped) is tried again on a new
 * connection until it is confirmed; only confirmed ones count as published. The pace is
 * kept, not caught up: after an outage it goes on at the same rate.
 */
final class SoakPublisher implements AutoCloseable {

	private final String exchange;

	private final int rate;

	private final int observers;

	private final ConnectionFactory factory = new ConnectionFactory();

	private final BitSet confirmed = new BitSet();

	private final Thread thread;

	private volatile boolean running = true;

	private volatile int next = 1;

	private @Nullable Connection connection;

	private @Nullable Channel channel;

	SoakPublisher(String exchange, int port, int rate, int observers) {
		this.exchange = exchange;
		this.rate = rate;
		this.observers = observers;
		this.factory.setHost(Rabbit.HOST);
		this.factory.setPort(port);
		this.factory.setAutomaticRecoveryEnabled(false);
		this.thread = new Thread(this::publish, "soak-publisher");
	}

	void start() {
		this.thread.start();
	}

	/** The sequence number the next publish will carry. */
	int next() {
		return this.next;
	}

	synchronized int published() {
		return this.confirmed.cardinality();
	}

	/** The sequence numbers the broker confirmed. */
	synchronized BitSet confirmed() {
		return (BitSet) this.confirmed.clone();
	}

	private void publish() {
		long interval = TimeUnit.SECONDS.toNanos(1) / this.rate;
		long due = System.nanoTime();
		while (this.running) {
			LockSupport.parkNanos(due - System.nanoTime());
			int seq = this.next;
			while (this.running && !tryPublish(seq)) {
				disconnect();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
			}
			this.next = seq + 1;
			due += interval;
			// steady load: after an outage go on at the same rate, no burst to catch up
			due = Math.max(due, System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
		}
		disconnect();
	}

	private boolean tryPublish(int seq) {
		try {
			if (this.channel == null) {
				this.connection = this.factory.newConnection("soak-publisher");
				this.channel = this.connection.createChannel();
				this.channel.confirmSelect();
			}
			this.channel.basicPublish(this.exchange, Subscriber.routingKey(1 + seq % this.observers),
					MessageProperties.PERSISTENT_BASIC, Events.body(seq, System.nanoTime()));
			this.channel.waitForConfirmsOrDie(10_000);
			synchronized (this) {
				this.confirmed.set(seq);
			}
			return true;
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void disconnect() {
		Connection open = this.connection;
		this.connection = null;
		this.channel = null;
		if (open != null) {
			try {
				open.abort(1000);
			}
			catch (RuntimeException ex) {
				// already gone
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(TimeUnit.SECONDS.toMillis(30));
	}

}
