package io.eventlistener.watch;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventlistener.logging.ListenerNotifier;
import io.eventlistener.outbox.MessageOutbox;
import io.eventlistener.outbox.OutboxMessage;
import io.eventlistener.wire.ModelChange;
import io.eventlistener.wire.ModelChangeCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageProperties;

/**
 * Publishes one model change to the models exchange with routing key
 * {@code schema.Type.action} through the {@link MessageOutbox}: inside a transaction it
 * is stored with the transaction and sent, confirmed, after commit (the relay sends it
 * again until the broker confirms it); otherwise it is sent at once and the confirm
 * awaited. It never throws into the caller's flush or commit: a failure is logged with
 * the entity and the action, and reported to the {@link ModelWatcherListener listeners}.
 * This is the one place a model change leaves the process. The changes of one row share
 * an ordering key with the events about it ({@code Type#id}), so the outbox sends them in
 * commit order.
 */
public class ModelChangePublisher {

	private static final Log logger = LogFactory.getLog(ModelChangePublisher.class);

	private final MessageOutbox outbox;

	private final ModelChangeCodec codec;

	private final String exchange;

	private final ModelWatcherSchema schema;

	private final Clock clock;

	private final ListenerNotifier<ModelWatcherListener> listeners;

	/**
	 * Create a new {@code ModelChangePublisher}.
	 * @param outbox sends with publisher confirms awaited, through the outbox table
	 * inside a transaction
	 * @param codec writes the body
	 * @param exchange the models exchange
	 * @param schema the schema the messages carry
	 * @param clock stamps the messages of rows without an {@code updated_at}, and the
	 * outbox
	 * @param listeners hear about each publication
	 */
	public ModelChangePublisher(MessageOutbox outbox, ModelChangeCodec codec, String exchange,
			ModelWatcherSchema schema, Clock clock, List<ModelWatcherListener> listeners) {
		this.outbox = outbox;
		this.codec = codec;
		this.exchange = exchange;
		this.schema = schema;
		this.clock = clock;
		this.listeners = new ListenerNotifier<>("ModelWatcherListener", listeners, logger);
	}

	/**
	 * Publish a change; never throws.
	 * @param type the row's canonical type name
	 * @param action what happened
	 * @param id the row's id
	 * @param timestamp the row's {@code updated_at}, as isimud sends it, or {@code null}
	 * for the publish time
	 * @param attributes its watched attributes
	 */
	public void publish(String type, ModelAction action, Object id, @Nullable Instant timestamp,
			Map<String, @Nullable Object> attributes) {
		ModelChange change = new ModelChange(this.schema.name(), type, action.wireName(), id.toString(),
				(timestamp != null) ? timestamp : this.clock.instant(), attributes);
		try {
			this.outbox.send(new OutboxMessage(UUID.randomUUID().toString(), this.exchange, change.routingKey(),
					MessageProperties.CONTENT_TYPE_JSON, new String(this.codec.write(change), StandardCharsets.UTF_8),
					this.clock.instant(), OutboxMessage.orderingKey(type, change.id()), null));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not publish model change for " + type + "#" + id + " (" + action.wireName()
					+ ") to exchange " + this.exchange + ": " + ex.getMessage());
			this.listeners.notify((listener) -> listener.publishFailed(change, ex));
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Published model change " + change.routingKey() + " for " + type + "#" + id);
		}
		this.listeners.notify((listener) -> listener.published(change));
	}

}
