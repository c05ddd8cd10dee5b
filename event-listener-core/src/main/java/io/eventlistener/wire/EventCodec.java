package io.eventlistener.wire;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.eventlistener.Event;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;

/**
 * Reads and writes {@link Event} bodies exactly as isimud 1.4 does: snake_case fields in
 * isimud's order, {@code occurred_at} as ISO-8601 UTC with milliseconds, numeric ids as
 * JSON numbers, {@code null} for what is missing. Reading ignores unknown fields and the
 * message's content type (isimud sends none).
 * <p>
 * Reading is strict about what isimud always writes: {@code type} must be there, as a
 * string (isimud's {@code Event} defaults it to {@code model} and writes it on every
 * event, and it is the first part of the routing key); every other field may be missing
 * or {@code null}, but a field that is there has isimud's kind: {@code action},
 * {@code eventful_type} strings; {@code user_id}, {@code eventful_id}, {@code session_id}
 * strings or whole numbers; {@code occurred_at} an ISO-8601 time; {@code parameters},
 * {@code attributes} objects. Anything else is a {@link MalformedMessageException}: a
 * JSON object that is not an event, such as {@code {"foo":1}}, never reaches a handler.
 */
public final class EventCodec {

	static final DateTimeFormatter RAILS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

	/** The fields of isimud's event, in the order it writes them. */
	static final List<String> FIELDS = List.of("type", "action", "user_id", "occurred_at", "eventful_type",
			"eventful_id", "session_id", "parameters", "attributes");

	private static final TypeReference<Map<String, @Nullable Object>> MAP = new TypeReference<>() {
	};

	/** The largest event body read unless told otherwise: 1 MiB. */
	public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

	private final JsonMapper mapper;

	private long maxBodySize = DEFAULT_MAX_BODY_SIZE;

	public EventCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Set the largest event body read; a larger one is malformed (rejected unread, so it
	 * is dead-lettered and counted as any body that is not an event).
	 * @param maxBodySize the limit in bytes; {@value #DEFAULT_MAX_BODY_SIZE} by default
	 */
	public void setMaxBodySize(long maxBodySize) {
		this.maxBodySize = maxBodySize;
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
	 * Parse an event body; its routing key is built from its fields.
	 * @param body the JSON body
	 * @return the event
	 * @throws MalformedMessageException if the body is not an isimud event
	 */
	public Event read(byte[] body) {
		return read(body, null);
	}

	/**
	 * Parse the body of a delivered event.
	 * @param body the JSON body
	 * @param routingKey the routing key it was delivered with, or {@code null} to build
	 * one from its fields
	 * @return the event, with that routing key
	 * @throws MalformedMessageException if the body is not an isimud event
	 */
	public Event read(byte[] body, @Nullable String routingKey) {
		// one pass straight into maps: this runs for every delivery, and converting a
		// tree into maps afterwards costs as much again
		Map<String, @Nullable Object> json;
		try {
			json = this.mapper.readValue(body, MAP);
		}
		catch (MismatchedInputException ex) {
			throw new MalformedMessageException("body is not a JSON object", ex);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException("body is not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (json == null) {
			throw new MalformedMessageException("body is not a JSON object");
		}
		String type = requiredType(json);
		String action = string(json, "action");
		String eventfulType = string(json, "eventful_type");
		String eventfulId = id(json, "eventful_id");
		return new Event(type, action, id(json, "user_id"), instant(json, "occurred_at"), eventfulType, eventfulId,
				id(json, "session_id"), map(json, "parameters"), map(json, "attributes"),
				(routingKey != null) ? routingKey : Event.routingKeyOf(type, eventfulType, eventfulId, action));
	}

	/**
	 * Read a delivered message: its body, the routing key it was delivered with, and its
	 * publisher (the {@code app_id} property, absent from isimud's messages).
	 * @param message the message
	 * @return the event
	 * @throws MalformedMessageException if the body is not an isimud event
	 */
	public Event read(Message message) {
		MessageProperties properties = message.getMessageProperties();
		if (message.getBody().length > this.maxBodySize) {
			throw new MalformedMessageException("body of " + message.getBody().length + " bytes exceeds the limit of "
					+ this.maxBodySize + " (event-listener.consumer.max-body-size)");
		}
		return read(message.getBody(), routingKey(properties)).withPublisherId(properties.getAppId());
	}

	/**
	 * The routing key the event was published with: the one it was delivered with, unless
	 * it was sent straight to its queue (the default exchange, as a dead letter replayed
	 * to its observer's queue is), whose routing key is the queue's name; then the one
	 * its dead-lettering kept in {@code x-original-routingKey}.
	 */
	private static @Nullable String routingKey(MessageProperties properties) {
		Object original = properties.getHeaders().get(RepublishMessageRecoverer.X_ORIGINAL_ROUTING_KEY);
		if ("".equals(properties.getReceivedExchange()) && original instanceof String originalKey) {
			return originalKey;
		}
		return properties.getReceivedRoutingKey();
	}

	private static String requiredType(Map<String, @Nullable Object> json) {
		String type = string(json, "type");
		if (type != null) {
			return type;
		}
		if (json.keySet().stream().noneMatch(FIELDS::contains)) {
			throw new MalformedMessageException("body is a JSON object without any event field " + FIELDS);
		}
		throw new MalformedMessageException("field 'type' is missing or null; every isimud event carries its type");
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

	/**
	 * A name field ({@code type}, {@code action}, {@code eventful_type}): isimud writes
	 * symbols and strings, both JSON strings.
	 */
	private static @Nullable String string(Map<String, @Nullable Object> json, String field) {
		Object value = json.get(field);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new MalformedMessageException("field '" + field + "' is not a string");
	}

	/**
	 * An id field: a string, or a whole number (ActiveRecord ids), kept as its text.
	 */
	private static @Nullable String id(Map<String, @Nullable Object> json, String field) {
		Object value = json.get(field);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
			return value.toString();
		}
		throw new MalformedMessageException("field '" + field + "' is not a string or a whole number");
	}

	private static @Nullable Instant instant(Map<String, @Nullable Object> json, String field) {
		String value = string(json, field);
		if (value == null) {
			return null;
		}
		Instant utcMillis = utcMillis(value);
		if (utcMillis != null) {
			return utcMillis;
		}
		try {
			return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new MalformedMessageException("field '" + field + "' is not an ISO-8601 time: " + value, ex);
		}
	}

	/**
	 * The fast path for the form isimud and this codec write,
	 * {@code 2016-03-01T12:34:56.789Z} (profiled: the general formatter took a sixth of
	 * the time spent per delivery).
	 * @param value the text
	 * @return the instant, or {@code null} when the text has another form
	 */
	static @Nullable Instant utcMillis(String value) {
		if (value.length() != 24 || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
				|| value.charAt(13) != ':' || value.charAt(16) != ':' || value.charAt(19) != '.'
				|| value.charAt(23) != 'Z') {
			return null;
		}
		int[] fields = { digits(value, 0, 4), digits(value, 5, 7), digits(value, 8, 10), digits(value, 11, 13),
				digits(value, 14, 16), digits(value, 17, 19), digits(value, 20, 23) };
		for (int field : fields) {
			if (field < 0) {
				return null;
			}
		}
		try {
			return LocalDate.of(fields[0], fields[1], fields[2])
				.atTime(fields[3], fields[4], fields[5], fields[6] * 1_000_000)
				.toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	private static int digits(String value, int from, int to) {
		int result = 0;
		for (int i = from; i < to; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			result = result * 10 + (c - '0');
		}
		return result;
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

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, @Nullable Object> map(Map<String, @Nullable Object> json, String field) {
		Object value = json.get(field);
		if (value == null) {
			return null;
		}
		if (!(value instanceof Map)) {
			throw new MalformedMessageException("field '" + field + "' is not a JSON object");
		}
		return (Map<String, @Nullable Object>) value;
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
