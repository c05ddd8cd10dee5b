package io.eventlistener;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * An event in isimud's format: what happened ({@code type}, {@code action}), to what
 * ({@code eventfulType}, {@code eventfulId}), by whom ({@code userId}), when, and
 * free-form {@code parameters} and {@code attributes}, and the routing key it travels
 * with, which is what observers' routing keys are matched against.
 * <p>
 * A new event's routing key is built as isimud's {@code Event#routing_key} builds it:
 * {@code type.eventfulType.eventfulId.action}, leaving out the parts that are
 * {@code null}. A delivered event's routing key is the one the broker delivered it with,
 * whatever its body says: a topic binding matched that key, not the body.
 * <p>
 * Ids are kept as strings; ids made only of digits travel as JSON numbers, as
 * ActiveRecord ids do.
 * <p>
 * The {@code publisherId} is not part of isimud's body: it travels in the AMQP
 * {@code app_id} property, which this starter sets to the publishing application's name
 * and isimud leaves out, so it is {@code null} for isimud's events and for events not
 * delivered yet.
 *
 * @param type the event type, {@value #DEFAULT_TYPE} by default
 * @param action the action, such as {@code create}
 * @param userId the id of the user who caused the event
 * @param occurredAt when it happened
 * @param eventfulType the type of the object the event is about, such as {@code User}
 * @param eventfulId the id of that object
 * @param sessionId the session it happened in
 * @param parameters additional parameters, never {@code null}
 * @param attributes the object's attributes, or {@code null} when not sent
 * @param routingKey the routing key it is published or was delivered with
 * @param publisherId who published a delivered event (its AMQP {@code app_id}), or
 * {@code null} when the message carried none
 */
public record Event(@Nullable String type, @Nullable String action, @Nullable String userId,
		@Nullable Instant occurredAt, @Nullable String eventfulType, @Nullable String eventfulId,
		@Nullable String sessionId, Map<String, @Nullable Object> parameters,
		@Nullable Map<String, @Nullable Object> attributes, String routingKey, @Nullable String publisherId) {

	/** isimud's default event type. */
	public static final String DEFAULT_TYPE = "model";

	public Event {
		parameters = (parameters != null) ? readOnlyCopy(parameters) : Map.of();
		attributes = (attributes != null) ? readOnlyCopy(attributes) : null;
		Objects.requireNonNull(routingKey, "routingKey");
	}

	/**
	 * An event with a routing key and no publisher id.
	 * @param type the event type
	 * @param action the action
	 * @param userId the id of the user who caused the event
	 * @param occurredAt when it happened
	 * @param eventfulType the type of the object the event is about
	 * @param eventfulId the id of that object
	 * @param sessionId the session it happened in
	 * @param parameters additional parameters
	 * @param attributes the object's attributes, or {@code null}
	 * @param routingKey the routing key it is published or was delivered with
	 */
	public Event(@Nullable String type, @Nullable String action, @Nullable String userId, @Nullable Instant occurredAt,
			@Nullable String eventfulType, @Nullable String eventfulId, @Nullable String sessionId,
			Map<String, @Nullable Object> parameters, @Nullable Map<String, @Nullable Object> attributes,
			String routingKey) {
		this(type, action, userId, occurredAt, eventfulType, eventfulId, sessionId, parameters, attributes, routingKey,
				null);
	}

	/**
	 * An event whose routing key is built from its fields (see
	 * {@link #routingKeyOf(String, String, String, String)}).
	 * @param type the event type
	 * @param action the action
	 * @param userId the id of the user who caused the event
	 * @param occurredAt when it happened
	 * @param eventfulType the type of the object the event is about
	 * @param eventfulId the id of that object
	 * @param sessionId the session it happened in
	 * @param parameters additional parameters
	 * @param attributes the object's attributes, or {@code null}
	 */
	public Event(@Nullable String type, @Nullable String action, @Nullable String userId, @Nullable Instant occurredAt,
			@Nullable String eventfulType, @Nullable String eventfulId, @Nullable String sessionId,
			Map<String, @Nullable Object> parameters, @Nullable Map<String, @Nullable Object> attributes) {
		this(type, action, userId, occurredAt, eventfulType, eventfulId, sessionId, parameters, attributes,
				routingKeyOf(type, eventfulType, eventfulId, action));
	}

	/**
	 * The routing key isimud gives an event ({@code Event#routing_key}:
	 * {@code [type.to_s, eventful_type, eventful_id, action].compact.join('.')}): the
	 * parts joined by dots, leaving out those that are {@code null} (an empty part is
	 * kept, as Ruby's {@code compact} keeps it).
	 * @param type the event type
	 * @param eventfulType the type of the object the event is about
	 * @param eventfulId the id of that object
	 * @param action the action
	 * @return the routing key
	 */
	public static String routingKeyOf(@Nullable String type, @Nullable String eventfulType, @Nullable String eventfulId,
			@Nullable String action) {
		StringJoiner key = new StringJoiner(".");
		for (String part : new String[] { type, eventfulType, eventfulId, action }) {
			if (part != null) {
				key.add(part);
			}
		}
		return key.toString();
	}

	/**
	 * This event as published by someone.
	 * @param publisherId the publisher's id (an AMQP {@code app_id}), or {@code null}
	 * @return an event equal to this one but for its publisher id
	 */
	public Event withPublisherId(@Nullable String publisherId) {
		return Objects.equals(publisherId, this.publisherId) ? this
				: new Event(this.type, this.action, this.userId, this.occurredAt, this.eventfulType, this.eventfulId,
						this.sessionId, this.parameters, this.attributes, this.routingKey, publisherId);
	}

	/**
	 * Start building an event of the {@value #DEFAULT_TYPE} type that occurred now.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	private static Map<String, @Nullable Object> readOnlyCopy(Map<String, @Nullable Object> map) {
		return Collections.unmodifiableMap(new LinkedHashMap<>(map));
	}

	/**
	 * Builds an {@link Event}.
	 */
	public static final class Builder {

		private String type = DEFAULT_TYPE;

		private @Nullable String action;

		private @Nullable String userId;

		private Instant occurredAt = Instant.now();

		private @Nullable String eventfulType;

		private @Nullable String eventfulId;

		private @Nullable String sessionId;

		private final Map<String, @Nullable Object> parameters = new LinkedHashMap<>();

		private @Nullable Map<String, @Nullable Object> attributes;

		private Builder() {
		}

		/**
		 * Set the event type; {@code null} means {@value #DEFAULT_TYPE}, as in isimud,
		 * whose events always carry a type.
		 * @param type the event type
		 * @return this builder
		 */
		public Builder type(@Nullable String type) {
			this.type = (type != null) ? type : DEFAULT_TYPE;
			return this;
		}

		public Builder action(@Nullable String action) {
			this.action = action;
			return this;
		}

		public Builder userId(@Nullable Object userId) {
			this.userId = (userId != null) ? userId.toString() : null;
			return this;
		}

		public Builder occurredAt(Instant occurredAt) {
			this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
			return this;
		}

		/**
		 * Say what the event is about.
		 * @param type the object's type, such as {@code User}
		 * @param id the object's id
		 * @return this builder
		 */
		public Builder eventful(String type, Object id) {
			this.eventfulType = type;
			this.eventfulId = id.toString();
			return this;
		}

		public Builder sessionId(@Nullable String sessionId) {
			this.sessionId = sessionId;
			return this;
		}

		public Builder parameter(String name, @Nullable Object value) {
			this.parameters.put(name, value);
			return this;
		}

		public Builder parameters(Map<String, ?> parameters) {
			this.parameters.putAll(parameters);
			return this;
		}

		public Builder attributes(@Nullable Map<String, ?> attributes) {
			this.attributes = (attributes != null) ? new LinkedHashMap<>(attributes) : null;
			return this;
		}

		public Event build() {
			return new Event(this.type, this.action, this.userId, this.occurredAt, this.eventfulType, this.eventfulId,
					this.sessionId, this.parameters, this.attributes);
		}

	}

}
