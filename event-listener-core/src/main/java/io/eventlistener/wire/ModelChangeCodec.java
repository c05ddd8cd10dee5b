package io.eventlistener.wire;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes model-watcher bodies exactly as isimud 1.4's {@code ModelWatcher}
 * does: {@code schema}, {@code type}, {@code action}, {@code id}, {@code timestamp}
 * (ISO-8601 UTC with milliseconds), {@code attributes}, in that order; numeric ids as
 * JSON numbers; attribute values as Rails writes them ({@link RailsValues}). Reading
 * ignores unknown fields and the content type (isimud sends none).
 */
public final class ModelChangeCodec {

	private final JsonMapper mapper;

	public ModelChangeCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	public ModelChangeCodec() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Serialize a model change.
	 * @param change the change
	 * @return the JSON body, UTF-8
	 */
	public byte[] write(ModelChange change) {
		ObjectNode json = this.mapper.createObjectNode();
		json.put("schema", change.schema());
		json.put("type", change.type());
		json.put("action", change.action());
		EventCodec.putId(json, "id", change.id());
		json.put("timestamp", (change.timestamp() != null) ? EventCodec.RAILS_TIME.format(change.timestamp()) : null);
		Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
		change.attributes().forEach((key, value) -> attributes.put(key, RailsValues.json(value)));
		json.set("attributes", this.mapper.valueToTree(attributes));
		return this.mapper.writeValueAsBytes(json);
	}

	/**
	 * Parse a model-watcher body.
	 * @param body the JSON body
	 * @return the change, its fields as sent
	 * @throws MalformedMessageException if the body is not a JSON object or a field is of
	 * the wrong kind
	 */
	public ModelChange read(byte[] body) {
		JsonNode json = EventCodec.readObject(this.mapper, body);
		return new ModelChange(EventCodec.text(json, "schema"), EventCodec.text(json, "type"),
				EventCodec.text(json, "action"), EventCodec.text(json, "id"), timestamp(json),
				EventCodec.objectField(this.mapper, json, "attributes"));
	}

	/**
	 * The timestamp if it is ISO-8601; anything else is read as {@code null}, because the
	 * watcher never needs it and a Rails app may be configured to write another format.
	 */
	private static @Nullable Instant timestamp(JsonNode json) {
		JsonNode value = json.get("timestamp");
		if (value == null || !value.isString()) {
			return null;
		}
		try {
			return OffsetDateTime.parse(value.asString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
