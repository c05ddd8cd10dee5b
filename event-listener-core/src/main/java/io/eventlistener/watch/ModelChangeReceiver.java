package io.eventlistener.watch;

import java.util.List;

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
