package io.eventlistener.wire;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

import io.eventlistener.Event;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@link Event} bodies exactly as isimud 1.4 does: snake_case fields in
 * isimud's order, {@code occurred_at} as ISO-8601 UTC with milliseconds, numeric ids as
 * JSON numbers, {@code null} for what is missing. Reading ignores unknown fields and the
 * message's content type (isimud sends none).
 */
public final class EventCodec {

	static final DateTimeFormatter RAILS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

	private static final TypeReference<Map<String, @Nullable Object>> MAP = new TypeReference<>() {
	};

	private final JsonMapper mapper;

	public EventCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	public EventCodec() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Serialize an event.
	 * @param event the event
	 * @return the JSON body, UTF-8
	 */
	public byte[] write(Event event) {
		ObjectNode json = this.mapper.createObjectNode();
		json.put("type", event.type());
		json.put("action", event.action());
		putId(json, "user_id", event.userId());
		json.put("occurred_at", (event.occurredAt() != null) ? RAILS_TIME.format(event.occurredAt()) : null);
		json.put("eventful_type", event.eventfulType());
		putId(json, "eventful_id", event.eventfulId());
		json.put("session_id", event.sessionId());
		json.set("parameters", this.mapper.valueToTree(event.parameters()));
		json.set("attributes", this.mapper.valueToTree(event.attributes()));
		return this.mapper.writeValueAsBytes(json);
	}

	/**
	 * Parse an event body.
	 * @param body the JSON body
	 * @return the event
	 * @throws MalformedMessageException if the body is not an isimud event
	 */
	public Event read(byte[] body) {
		JsonNode json = readObject(this.mapper, body);
		return new Event(text(json, "type"), text(json, "action"), text(json, "user_id"), instant(json, "occurred_at"),
				text(json, "eventful_type"), text(json, "eventful_id"), text(json, "session_id"),
				objectField(this.mapper, json, "parameters"), objectField(this.mapper, json, "attributes"));
	}

	static JsonNode readObject(JsonMapper mapper, byte[] body) {
		JsonNode json;
		try {
			json = mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException("body is not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (json == null || !json.isObject()) {
			throw new MalformedMessageException("body is not a JSON object");
		}
		return json;
	}

	/**
	 * A string field; numbers and booleans are taken as their text (ids often arrive as
	 * numbers).
	 */
	static @Nullable String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isString() || value.isNumber() || value.isBoolean()) {
			return value.asString();
		}
		throw new MalformedMessageException("field '" + field + "' is not a string or a number");
	}

	private static @Nullable Instant instant(JsonNode json, String field) {
		String value = text(json, field);
		if (value == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new MalformedMessageException("field '" + field + "' is not an ISO-8601 time: " + value, ex);
		}
	}

	/**
	 * An object field as a map, or {@code null} when missing.
	 */
	static @Nullable Map<String, @Nullable Object> objectField(JsonMapper mapper, JsonNode json, String field) {
		JsonNode value = json.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isObject()) {
			throw new MalformedMessageException("field '" + field + "' is not a JSON object");
		}
		return mapper.convertValue(value, MAP);
	}

	static void putId(ObjectNode json, String field, @Nullable String id) {
		if (id != null && INTEGER.matcher(id).matches()) {
			json.put(field, Long.parseLong(id));
		}
		else {
			json.put(field, id);
		}
	}

}
