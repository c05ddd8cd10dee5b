package io.eventlistener.replay;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.eventlistener.dispatch.DeadLetterRecoverer;
import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;

/**
 * Moves dead letters back to where they failed, once the cause is fixed: to the queue of
 * the observer named in their {@code x-event-listener-queue} header (through the default
 * exchange, so only that queue gets it), or, for {@link Target#ORIGINAL_EXCHANGE} or a
 * dead letter without that header, to its original exchange and routing key.
 * <p>
 * Nothing is lost on the way: each dead letter is taken unacknowledged, republished as
 * mandatory, and removed from the dead-letter queue only after the broker confirmed it
 * (an unroutable one, such as a deleted observer's, comes back and is kept). What is
 * skipped or failed stays in the dead-letter queue. A replay stops after the messages the
 * queue held when it began, so a dead letter that fails again is not replayed twice in
 * one run. If the replay is interrupted (its connection closed, the broker gone),
 * everything not yet acknowledged returns to the dead-letter queue; a message republished
 * but not yet removed is then in both places, and replaying it again is a duplicate
 * (observers see events at least once anyway).
 * <p>
 * A dead letter's headers are not trusted to say where it goes: it is republished only to
 * a registered observer's queue under this application's prefix or to its events exchange
 * ({@link ReplayTargets}). One that names anything else is refused: counted in
 * {@link ReplayResult#refused()}, logged (rate-limited), and left in the dead-letter
 * queue.
 * <p>
 * The replay runs on a connection of its own, named {@code {prefix}.dead-letter-replay}.
 */
public class DeadLetterReplayer {

	/** Header: when the delivery was dead-lettered, epoch milliseconds. */
	public static final String DEAD_LETTERED_AT_HEADER = DeadLetterRecoverer.DEAD_LETTERED_AT_HEADER;

	/** Header: how many times the message was replayed. */
	public static final String REPLAYS_HEADER = "x-event-listener-replays";

	private static final Log logger = LogFactory.getLog(DeadLetterReplayer.class);

	private final ConnectionFactory connectionFactory;

	private final String deadLetterQueue;

	private final String connectionName;

	private final Duration confirmTimeout;

	private final ReplayTargets targets;

	private final RateLimitedLog refusals = new RateLimitedLog(logger);

	/**
	 * Where a replayed dead letter goes.
	 */
	public enum Target {

		/** The queue it was dead-lettered from (else its original exchange). */
		OBSERVER_QUEUE,

		/** Its original exchange and routing key: every queue bound to it again. */
		ORIGINAL_EXCHANGE

	}

	/**
	 * Create a new {@code DeadLetterReplayer}.
	 * @param connectionFactory makes the replay's own connection
	 * @param deadLetterQueue the dead-letter queue
	 * @param connectionName the name of the replay's connection on the broker
	 * @param confirmTimeout how long to wait for the broker's confirm of each message
	 * @param targets where dead letters may be republished
	 */
	public DeadLetterReplayer(ConnectionFactory connectionFactory, String deadLetterQueue, String connectionName,
			Duration confirmTimeout, ReplayTargets targets) {
		this.targets = targets;
		this.connectionFactory = connectionFactory;
		this.deadLetterQueue = deadLetterQueue;
		this.connectionName = connectionName;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Return the dead letters waiting now.
	 * @return the dead letters waiting now
	 * @throws org.springframework.amqp.AmqpException when the broker cannot be asked
	 */
	public long count() {
		try (Connection connection = this.connectionFactory.newConnection(this.connectionName);
				Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(this.deadLetterQueue).getMessageCount();
		}
		catch (IOException | TimeoutException ex) {
			throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
		}
	}

	/**
	 * Replay the dead letters the filter matches to their observer queues.
	 * @param filter which dead letters
	 * @return what was moved, skipped and failed
	 */
	public ReplayResult replay(ReplayFilter filter) {
		return replay(filter, Target.OBSERVER_QUEUE);
	}

	/**
	 * Replay the dead letters the filter matches.
	 * @param filter which dead letters
	 * @param target where they go
	 * @return what was moved, skipped and failed; {@link ReplayResult#interruption()}
	 * says why it stopped early, if it did
	 */
	public ReplayResult replay(ReplayFilter filter, Target target) {
		Counts counts = new Counts();
		try (Connection connection = this.connectionFactory.newConnection(this.connectionName);
				Channel channel = connection.createChannel()) {
			AtomicBoolean returned = new AtomicBoolean();
			channel.addReturnListener((returnedMessage) -> returned.set(true));
			channel.confirmSelect();
			long waiting = channel.queueDeclarePassive(this.deadLetterQueue).getMessageCount();
			long lastKept = 0;
			for (long taken = 0; taken < waiting; taken++) {
				GetResponse response = channel.basicGet(this.deadLetterQueue, false);
				if (response == null) {
					break;
				}
				long tag = response.getEnvelope().getDeliveryTag();
				Map<String, Object> headers = headers(response.getProps());
				if (!filter.matches(text(headers.get(DeadLetterRecoverer.OBSERVER_HEADER)), deadLetteredAt(headers))) {
					counts.skipped++;
					lastKept = tag;
					continue;
				}
				Destination destination = destination(response, headers, target);
				if (destination == null) {
					counts.refused++;
					lastKept = tag;
					continue;
				}
				returned.set(false);
				if (republish(channel, response, headers, destination) && !returned.get()) {
					channel.basicAck(tag, false);
					counts.moved++;
				}
				else {
					counts.failed++;
					lastKept = tag;
				}
			}
			if (lastKept > 0) {
				channel.basicNack(lastKept, true, true);
			}
		}
		catch (IOException | TimeoutException | InterruptedException | RuntimeException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.warn("Dead-letter replay from " + this.deadLetterQueue + " interrupted after " + counts.moved
					+ " moved: what it had not acknowledged stays in the dead-letter queue (" + ex + ")");
			return counts.result(ex.toString());
		}
		logger.info("Replayed dead letters from " + this.deadLetterQueue + ": " + counts.moved + " moved, "
				+ counts.skipped + " skipped, " + counts.failed + " failed, " + counts.refused
				+ " refused (their headers named a target outside this application)");
		return counts.result(null);
	}

	/**
	 * Where a dead letter goes, from its headers, if that is one of this application's
	 * targets; {@code null} (logged) if it is not, or if the headers name none.
	 */
	private @Nullable Destination destination(GetResponse response, Map<String, Object> headers, Target target) {
		String queue = text(headers.get(DeadLetterRecoverer.QUEUE_HEADER));
		if (target == Target.OBSERVER_QUEUE && queue != null) {
			if (this.targets.allowsQueue(queue)) {
				return new Destination("", queue);
			}
			refuse(response, "names queue " + queue + ", not a registered observer's queue of this application");
			return null;
		}
		String exchange = text(headers.get(RepublishMessageRecoverer.X_ORIGINAL_EXCHANGE));
		String routingKey = text(headers.get(RepublishMessageRecoverer.X_ORIGINAL_ROUTING_KEY));
		if (exchange == null || routingKey == null) {
			refuse(response, "names neither its queue nor its original exchange");
			return null;
		}
		if (!this.targets.allowsExchange(exchange)) {
			refuse(response, "names exchange " + exchange + ", not this application's events exchange "
					+ this.targets.eventsExchange());
			return null;
		}
		return new Destination(exchange, routingKey);
	}

	private void refuse(GetResponse response, String why) {
		String id = response.getProps().getMessageId();
		String name = (id != null) ? "message id " + id : "delivery tag " + response.getEnvelope().getDeliveryTag();
		this.refusals.warn(() -> "Dead letter " + LogSanitizer.sanitize(name) + " " + LogSanitizer.sanitize(why)
				+ "; it is not replayed and stays in the dead-letter queue " + this.deadLetterQueue);
	}

	private boolean republish(Channel channel, GetResponse response, Map<String, Object> headers,
			Destination destination) throws IOException, InterruptedException {
		String exchange = destination.exchange();
		String routingKey = destination.routingKey();
		channel.basicPublish(exchange, routingKey, true, replayed(response.getProps(), headers), response.getBody());
		try {
			channel.waitForConfirmsOrDie(this.confirmTimeout.toMillis());
			return true;
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("No confirm for a replayed dead letter within " + this.confirmTimeout, ex);
		}
	}

	/**
	 * The dead letter's properties for its new try: the failure headers removed, the
	 * replay counted.
	 */
	private static AMQP.BasicProperties replayed(AMQP.BasicProperties properties, Map<String, Object> headers) {
		Map<String, Object> replayed = new HashMap<>(headers);
		replayed.remove(DeadLetterRecoverer.ATTEMPTS_HEADER);
		replayed.remove(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE);
		replayed.remove(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE);
		Object replays = headers.get(REPLAYS_HEADER);
		replayed.put(REPLAYS_HEADER, (replays instanceof Number number) ? number.intValue() + 1 : 1);
		return properties.builder().headers(replayed).build();
	}

	private static Map<String, Object> headers(AMQP.BasicProperties properties) {
		return (properties.getHeaders() != null) ? properties.getHeaders() : Map.of();
	}

	private static @Nullable Instant deadLetteredAt(Map<String, Object> headers) {
		return (headers.get(DEAD_LETTERED_AT_HEADER) instanceof Number millis)
				? Instant.ofEpochMilli(millis.longValue()) : null;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private record Destination(String exchange, String routingKey) {

	}

	private static final class Counts {

		int moved;

		int skipped;

		int failed;

		int refused;

		ReplayResult result(@Nullable String interruption) {
			return new ReplayResult(this.moved, this.skipped, this.failed, this.refused, interruption);
		}

	}

}
