package io.eventlistener.wire;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A model-watcher message in isimud's format: a row of {@code type} with {@code id} in
 * database {@code schema} was created, updated or destroyed ({@code action}) at
 * {@code timestamp}; {@code attributes} carries its watched attributes. Its routing key
 * is {@code schema.type.action}.
 * <p>
 * Fields are kept as the text that travels: what they mean, and whether they are
 * acceptable, is decided by the model watcher, never here.
 *
 * @param schema the database the row lives in
 * @param type the canonical type name, such as {@code Company}
 * @param action {@code create}, {@code update} or {@code destroy}
 * @param id the row's id
 * @param timestamp when the change happened, {@code null} if not sent or not ISO-8601
 * @param attributes the watched attributes, never {@code null}
 */
public record ModelChange(@Nullable String schema, @Nullable String type, @Nullable String action, @Nullable String id,
		@Nullable Instant timestamp, Map<String, @Nullable Object> attributes) {

	public ModelChange {
		attributes = (attributes != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(attributes)) : Map.of();
	}

	/**
	 * The routing key isimud publishes the message with: {@code schema.type.action}.
	 * @return the routing key
	 */
	public String routingKey() {
		return this.schema + "." + this.type + "." + this.action;
	}

}
