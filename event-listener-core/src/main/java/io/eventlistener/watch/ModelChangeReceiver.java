package io.eventlistener.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.eventlistener.logging.ListenerNotifier;
import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.wire.MalformedMessageException;
import io.eventlistener.wire.ModelChange;
import io.eventlistener.wire.ModelChangeCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.scheduling.TaskScheduler;

/**
 * Consumes the {@link WatcherQueue}, isimud's {@code handle_observer_event}, treating
 * every message as untrusted input. A message is accepted only if
 * <ul>
 * <li>its body is at most {@code maxPayloadSize} bytes and a JSON object with
 * {@code schema}, {@code type}, {@code action} and {@code id};
 * <li>its schema, type and action are those of its routing key
 * ({@code schema.Type.action}), and the schema is this application's;
 * <li>its action is {@code create}, {@code update} or {@code destroy};
 * <li>its type is in the allow-list of observer types ({@link ObserverTypes#find} — no
 * class is ever loaded by name), and its id parses strictly as that type's id.
 * </ul>
 * An accepted message only says which row to look at: the {@link ObserverSynchronizer}
 * re-reads it and applies what the database says, whatever the action claimed, so a
 * spoofed {@code destroy} cannot cancel an observer whose row is enabled.
 * <p>
 * With {@linkplain #setCoalescing coalescing} on, the work per observer key is bounded:
 * after a row is read, further messages for the same key within the interval are not read
 * one by one; one re-read at the end of the interval applies whatever they announced
 * ({@link ModelChangeOutcome#COALESCED} for each). A flood of spoofed messages for one
 * key costs about one database read per interval, and a genuine change is applied at most
 * one interval late.
 * <p>
 * Nothing escapes: a rejected message is logged once with its reason (rate-limited: the
 * first few of a minute in full, then one line with the count), reported to the
 * {@link ModelWatcherListener listeners} and acknowledged (never requeued); a failure to
 * apply an accepted one (database or broker down) is logged, reported and acknowledged
 * too, left to the next resynchronisation. None of it touches the handler error budget.
 */
public class ModelChangeReceiver implements MessageListener {

	private static final Log logger = LogFactory.getLog(ModelChangeReceiver.class);

	private static final int MAX_LOGGED_LENGTH = 120;

	private final ObserverTypes types;

	private final ObserverSynchronizer synchronizer;

	private final ModelChangeCodec codec;

	private final ModelWatcherSchema schema;

	private final long maxPayloadSize;

	private final ListenerNotifier<ModelWatcherListener> listeners;

	private final RateLimitedLog rejections = new RateLimitedLog(logger);

	private final RateLimitedLog failures = new RateLimitedLog(logger);

	/** The last read of each recently read key, and whether a re-read is scheduled. */
	private final Map<ObserverKey, Window> windows = new HashMap<>();

	private Duration coalesceInterval = Duration.ZERO;

	private @Nullable TaskScheduler scheduler;

	private Clock clock = Clock.systemUTC();

	/**
	 * Create a new {@code ModelChangeReceiver}.
	 * @param types the allow-list of observer types
	 * @param synchronizer applies a changed row
	 * @param codec reads the body
	 * @param schema this application's schema
	 * @param maxPayloadSize the largest body accepted, in bytes
	 * @param listeners hear about every message
	 */
	public ModelChangeReceiver(ObserverTypes types, ObserverSynchronizer synchronizer, ModelChangeCodec codec,
			ModelWatcherSchema schema, long maxPayloadSize, List<ModelWatcherListener> listeners) {
		this.types = types;
		this.synchronizer = synchronizer;
		this.codec = codec;
		this.schema = schema;
		this.maxPayloadSize = maxPayloadSize;
		this.listeners = new ListenerNotifier<>("ModelWatcherListener", listeners, logger);
	}

	/**
	 * Coalesce the messages for one observer key: after a read, the rest of the
	 * interval's messages for that key cost one re-read at its end.
	 * @param interval the interval; zero (the default without this call) reads the row
	 * for every message
	 * @param scheduler runs the re-reads
	 * @param clock tells the time
	 */
	public void setCoalescing(Duration interval, TaskScheduler scheduler, Clock clock) {
		this.coalesceInterval = interval;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@Override
	public void onMessage(Message message) {
		Accepted accepted;
		try {
			accepted = accept(message);
		}
		catch (Rejected rejected) {
			reject(message, rejected.reason, rejected.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			reject(message, ModelChangeRejection.MALFORMED, "unreadable: " + ex);
			return;
		}
		apply(accepted);
	}

	private void reject(Message message, ModelChangeRejection reason, @Nullable String detail) {
		MessageProperties properties = message.getMessageProperties();
		this.rejections
			.warn(() -> "Rejected model-watcher message (routing key " + printable(properties.getReceivedRoutingKey())
					+ ", message id " + printable(properties.getMessageId()) + "): " + reason + ": " + detail);
		this.listeners.notify((listener) -> listener.rejected(reason));
	}

	private void apply(Accepted accepted) {
		ObserverKey key = accepted.type().key(accepted.id());
		if (coalesced(accepted, key)) {
			this.listeners.notify((listener) -> listener.applied(key, ModelChangeOutcome.COALESCED));
			return;
		}
		refresh(accepted, key);
	}

	/**
	 * Whether the message's key was read within the interval: then it is left to the
	 * re-read at the interval's end (scheduled now, if it is not yet).
	 */
	private boolean coalesced(Accepted accepted, ObserverKey key) {
		TaskScheduler scheduler = this.scheduler;
		if (scheduler == null || this.coalesceInterval.isZero()) {
			return false;
		}
		Instant now = this.clock.instant();
		synchronized (this.windows) {
			Window window = this.windows.get(key);
			if (window == null
					|| (!window.rereadScheduled && !now.isBefore(window.readAt.plus(this.coalesceInterval)))) {
				forgetExpired(now);
				this.windows.put(key, new Window(now));
				return false;
			}
			window.lastClaimed = accepted.action();
			if (!window.rereadScheduled) {
				window.rereadScheduled = true;
				scheduler.schedule(() -> reread(accepted, key), window.readAt.plus(this.coalesceInterval));
			}
			return true;
		}
	}

	/**
	 * Re-read a key whose messages were coalesced, checked against the action the last of
	 * them claimed.
	 */
	private void reread(Accepted first, ObserverKey key) {
		ModelAction claimed;
		synchronized (this.windows) {
			Window window = this.windows.put(key, new Window(this.clock.instant()));
			claimed = (window != null && window.lastClaimed != null) ? window.lastClaimed : first.action();
		}
		refresh(new Accepted(first.type(), claimed, first.id()), key);
	}

	/** Keep the map as small as the keys read within the last interval. */
	private void forgetExpired(Instant now) {
		if (this.windows.size() >= 1_024) {
			this.windows.values()
				.removeIf((window) -> !window.rereadScheduled
						&& !now.isBefore(window.readAt.plus(this.coalesceInterval)));
		}
	}

	/** Re-read the row and apply it, checked against the action the message claimed. */
	private void refresh(Accepted accepted, ObserverKey key) {
		ModelChangeOutcome outcome;
		try {
			outcome = this.synchronizer.refresh(accepted.type(), accepted.id(), accepted.action());
		}
		catch (RuntimeException ex) {
			this.failures.warn(() -> "Could not apply model change '" + accepted.action().wireName() + "' of observer "
					+ key + "; the next resynchronisation will: " + ex);
			this.listeners.notify((listener) -> listener.failed(key, ex));
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug(
					"Applied model change '" + accepted.action().wireName() + "' of observer " + key + ": " + outcome);
		}
		this.listeners.notify((listener) -> listener.applied(key, outcome));
	}

	private Accepted accept(Message message) {
		byte[] body = message.getBody();
		if (body.length > this.maxPayloadSize) {
			throw new Rejected(ModelChangeRejection.OVERSIZED,
					"body of " + body.length + " bytes exceeds the limit of " + this.maxPayloadSize);
		}
		ModelChange change;
		try {
			change = this.codec.read(body);
		}
		catch (MalformedMessageException ex) {
			throw new Rejected(ModelChangeRejection.MALFORMED, ex.getMessage());
		}
		String type = required(change.type(), "type");
		String action = required(change.action(), "action");
		String id = required(change.id(), "id");
		required(change.schema(), "schema");
		String routingKey = message.getMessageProperties().getReceivedRoutingKey();
		if (!change.routingKey().equals(routingKey)) {
			throw new Rejected(ModelChangeRejection.ROUTING_KEY_MISMATCH,
					"the payload says " + printable(change.routingKey()));
		}
		if (!this.schema.name().equals(change.schema())) {
			throw new Rejected(ModelChangeRejection.SCHEMA_MISMATCH,
					"schema " + printable(change.schema()) + " is not " + this.schema);
		}
		ModelAction modelAction = ModelAction.fromWireName(action)
			.orElseThrow(() -> new Rejected(ModelChangeRejection.UNKNOWN_ACTION, "action " + printable(action)));
		ObserverType<?> observerType = this.types.find(type)
			.orElseThrow(() -> new Rejected(ModelChangeRejection.UNKNOWN_TYPE,
					"type " + printable(type) + " is not an observer type"));
		try {
			return new Accepted(observerType, modelAction, observerType.parseId(id));
		}
		catch (IllegalArgumentException ex) {
			throw new Rejected(ModelChangeRejection.BAD_ID,
					"id " + printable(id) + " is not a valid " + observerType.name() + " id");
		}
	}

	private static String required(@Nullable String value, String field) {
		if (value == null || value.isEmpty()) {
			throw new Rejected(ModelChangeRejection.MALFORMED, "field '" + field + "' is missing");
		}
		return value;
	}

	/**
	 * A value from the wire made safe for one log line: control characters replaced,
	 * length capped.
	 */
	private static String printable(@Nullable String value) {
		if (value == null) {
			return "null";
		}
		String shown = (value.length() > MAX_LOGGED_LENGTH) ? value.substring(0, MAX_LOGGED_LENGTH) + "..." : value;
		return "'" + LogSanitizer.sanitize(shown) + "'";
	}

	private static final class Window {

		private final Instant readAt;

		private boolean rereadScheduled;

		private @Nullable ModelAction lastClaimed;

		Window(Instant readAt) {
			this.readAt = readAt;
		}

	}

	private record Accepted(ObserverType<?> type, ModelAction action, Object id) {
	}

	/**
	 * Why a message is not accepted; never leaves this class.
	 */
	private static final class Rejected extends RuntimeException {

		private final ModelChangeRejection reason;

		Rejected(ModelChangeRejection reason, String detail) {
			super(detail, null, false, false);
			this.reason = reason;
		}

	}

}
