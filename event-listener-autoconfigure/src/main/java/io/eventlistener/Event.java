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
 * free-form {@code parameters} and {@code attributes}. Its routing key is
 * {@code type.eventfulType.eventfulId.action} with missing parts left out, which is what
 * observers' routing keys are matched against.
 * <p>
 * Ids are kept as strings; ids made only of digits travel as JSON numbers, as
 * ActiveRecord ids do.
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
 */
public record Event(@Nullable String type, @Nullable String action, @Nullable String userId,
		@Nullable Instant occurredAt, @Nullable String eventfulType, @Nullable String eventfulId,
		@Nullable String sessionId, Map<String, @Nullable Object> parameters,
		@Nullable Map<String, @Nullable Object> attributes) {

	/** isimud's default event type. */
	public static final String DEFAULT_TYPE = "model";

	public Event {
		parameters = (parameters != null) ? readOnlyCopy(parameters) : Map.of();
		attributes = (attributes != null) ? readOnlyCopy(attributes) : null;
	}

	/**
	 * The routing key: {@code type.eventfulType.eventfulId.action}, leaving out the parts
	 * that are missing or empty (as isimud's {@code Event#routing_key} does).
	 * @return the routing key
	 */
	public String routingKey() {
		StringJoiner key = new StringJoiner(".");
		for (String part : new String[] { this.type, this.eventfulType, this.eventfulId, this.action }) {
			if (part != null && !part.isEmpty()) {
				key.add(part);
			}
		}
		return key.toString();
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

		private @Nullable String type = DEFAULT_TYPE;

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

		public Builder type(@Nullable String type) {
			this.type = type;
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
