package io.eventlistener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which events a handler wants, beyond its observers' routing keys (oslo.messaging's
 * {@code NotificationFilter}): a delivery that does not match is acknowledged without
 * calling the handler and counted {@code outcome=filtered}. Declare it by overriding
 * {@link EventHandler#filter()} (or with the attributes of {@link EventObserverHandler}),
 * built with {@link #builder()}:
 *
 * <pre class="code">
 * EventFilter.builder()
 *     .field("action", Pattern.compile("create|update"))
 *     .field("parameters.plan", "gold", "platinum")
 *     .field("publisher_id", "billing")
 *     .build();
 * </pre>
 *
 * Every condition must hold; a condition with several values holds when any of them
 * equals the field's value (compared as text: {@code 42} matches {@code "42"}); a pattern
 * must match the whole value. A field the event does not have (no such parameter, no
 * attributes, no publisher id) matches nothing. The filter is read once at start-up; its
 * fields are resolved then, never from what a message names.
 */
@FunctionalInterface
public interface EventFilter {

	/**
	 * Fields a filter may name: the event's own, and paths into its {@code parameters}
	 * and {@code attributes} ({@code parameters.address.country}).
	 */
	Set<String> FIELDS = Set.of("type", "action", "eventful_type", "eventful_id", "user_id", "session_id",
			"publisher_id");

	/**
	 * Whether a delivery is for the handler.
	 * @param event the event
	 * @param publisherId the publisher's id (AMQP {@code app_id}), or {@code null} when
	 * it sent none
	 * @return {@code true} to call the handler
	 */
	boolean matches(Event event, @Nullable String publisherId);

	/**
	 * The filter that lets every event through: the default.
	 * @return a filter that matches everything
	 */
	static EventFilter all() {
		return Builder.ALL;
	}

	/**
	 * Start building a filter.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds an {@link EventFilter} out of conditions on fields. A field name that is not
	 * one of {@link EventFilter#FIELDS} or a {@code parameters.} / {@code attributes.}
	 * path is refused at once.
	 */
	final class Builder {

		private static final EventFilter ALL = FieldCondition.all(List.of());

		private final List<FieldCondition> conditions = new ArrayList<>();

		private Builder() {
		}

		/**
		 * The field must equal one of the values.
		 * @param field the field, such as {@code action} or {@code parameters.plan}
		 * @param values the values it may have, at least one
		 * @return this builder
		 */
		public Builder field(String field, String... values) {
			if (values.length == 0) {
				throw new IllegalArgumentException("Give at least one value for field " + field);
			}
			Set<String> allowed = Set.of(values);
			this.conditions.add(new FieldCondition(field + " in " + Arrays.toString(values), field, allowed::contains));
			return this;
		}

		/**
		 * The field must match the regular expression as a whole.
		 * @param field the field, such as {@code eventful_type} or
		 * {@code attributes.address.country}
		 * @param pattern the pattern its value must match
		 * @return this builder
		 */
		public Builder field(String field, Pattern pattern) {
			this.conditions.add(new FieldCondition(field + " matches /" + pattern + "/", field,
					(value) -> pattern.matcher(value).matches()));
			return this;
		}

		/**
		 * The field must match the regular expression as a whole.
		 * @param field the field
		 * @param regex the regular expression, compiled now
		 * @return this builder
		 */
		public Builder fieldMatching(String field, String regex) {
			return field(field, Pattern.compile(regex));
		}

		/**
		 * Return the filter; {@link EventFilter#all()} when no condition was given.
		 * @return the filter; {@link EventFilter#all()} when no condition was given
		 */
		public EventFilter build() {
			return this.conditions.isEmpty() ? ALL : FieldCondition.all(this.conditions);
		}

	}

}
