package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.event.AmqpEvent;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Whether the broker blocks this application's connections from publishing (a RabbitMQ
 * memory or disk alarm), learnt from the {@link ConnectionBlockedEvent} and
 * {@link ConnectionUnblockedEvent} Spring AMQP's connection factories publish. While
 * blocked, a publish would wait until the alarm is over, so {@link ConfirmedSender}
 * refuses at once instead. Logged once when blocking starts and once when it ends.
 */
public class BrokerBlocking implements ApplicationListener<AmqpEvent> {

	private static final Log logger = LogFactory.getLog(BrokerBlocking.class);

	private final Map<Connection, Blocked> blocked = new ConcurrentHashMap<>();

	private final Clock clock;

	private final List<Runnable> unblockedActions = new CopyOnWriteArrayList<>();

	/**
	 * Create a new {@code BrokerBlocking}.
	 * @param clock the time source for {@link Blocked#since()}
	 */
	public BrokerBlocking(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void onApplicationEvent(AmqpEvent event) {
		if (event instanceof ConnectionBlockedEvent blockedEvent) {
			blocked(blockedEvent.getConnection(), blockedEvent.getReason());
		}
		else if (event instanceof ConnectionUnblockedEvent unblockedEvent) {
			unblocked(unblockedEvent.getConnection());
		}
	}

	/**
	 * The broker blocked a connection.
	 * @param connection the connection
	 * @param reason the broker's reason, such as {@code low on memory}
	 */
	public void blocked(Connection connection, String reason) {
		boolean first = current().isEmpty();
		this.blocked.put(connection, new Blocked(reason, this.clock.instant()));
		if (first) {
			logger.warn("The broker is blocking publishers (" + reason
					+ "): events are refused, or kept in the outbox inside a transaction, until it unblocks");
		}
	}

	/**
	 * The broker unblocked a connection.
	 * @param connection the connection
	 */
	public void unblocked(Connection connection) {
		if (this.blocked.remove(connection) != null && current().isEmpty()) {
			logger.info("The broker no longer blocks publishers");
			this.unblockedActions.forEach(Runnable::run);
		}
	}

	/**
	 * Run an action each time the broker stops blocking the last blocked connection (the
	 * outbox relay sends what waited at once, not after its retry interval).
	 * @param action the action; it must not block
	 */
	public void whenUnblocked(Runnable action) {
		this.unblockedActions.add(action);
	}

	/**
	 * The blocking that started first, if a connection is blocked now. A connection that
	 * closed while blocked no longer counts.
	 * @return the current blocking, or empty
	 */
	public Optional<Blocked> current() {
		this.blocked.keySet().removeIf((connection) -> !connection.isOpen());
		return this.blocked.values().stream().min(Comparator.comparing(Blocked::since));
	}

	/**
	 * A blocking: the broker's reason and since when.
	 *
	 * @param reason the broker's reason
	 * @param since when the broker blocked the connection
	 */
	public record Blocked(String reason, Instant since) {

	}

}
