package io.eventlistener;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * One condition of an {@link EventFilter}: a field, resolved to its reader when the
 * filter is built, and what its value (as text) must be. A missing value, or one that is
 * a map or a list, fails every condition.
 */
final class FieldCondition {

	private final String description;

	private final Reader reader;

	private final Predicate<String> test;

	FieldCondition(String description, String field, Predicate<String> test) {
		this.description = description;
		this.reader = reader(field);
		this.test = test;
	}

	/**
	 * A filter that matches when every condition holds.
	 */
	static EventFilter all(List<FieldCondition> conditions) {
		List<FieldCondition> all = List.copyOf(conditions);
		String description = all.isEmpty() ? "all events"
				: String.join(" and ", all.stream().map((condition) -> condition.description).toList());
		return new EventFilter() {

			@Override
			public boolean matches(Event event, @Nullable String publisherId) {
				for (FieldCondition condition : all) {
					if (!condition.holds(event, publisherId)) {
						return false;
					}
				}
				return true;
			}

			@Override
			public String toString() {
				return description;
			}

		};
	}

	boolean holds(Event event, @Nullable String publisherId) {
		Object value = this.reader.read(event, publisherId);
		return value != null && !(value instanceof Map) && !(value instanceof List) && this.test.test(value.toString());
	}

	private static Reader reader(String field) {
		return switch (field) {
			case "type" -> (event, publisher) -> event.type();
			case "action" -> (event, publisher) -> event.action();
			case "eventful_type" -> (event, publisher) -> event.eventfulType();
			case "eventful_id" -> (event, publisher) -> event.eventfulId();
			case "user_id" -> (event, publisher) -> event.userId();
			case "session_id" -> (event, publisher) -> event.sessionId();
			case "publisher_id" -> (event, publisher) -> publisher;
			default -> pathReader(field);
		};
	}

	private static Reader pathReader(String field) {
		String[] path = field.split("\\.", -1);
		boolean parameters = path[0].equals("parameters");
		if (path.length < 2 || !(parameters || path[0].equals("attributes"))
				|| Arrays.stream(path).anyMatch(String::isEmpty)) {
			throw new IllegalArgumentException("Unknown event field '" + field + "': use one of " + EventFilter.FIELDS
					+ ", or a path into parameters or attributes such as parameters.plan");
		}
		List<String> keys = List.of(path).subList(1, path.length);
		return (event, publisher) -> walk(parameters ? event.parameters() : event.attributes(), keys);
	}

	private static @Nullable Object walk(@Nullable Object value, List<String> keys) {
		Object current = value;
		for (String key : keys) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

	/**
	 * Reads one field of a delivery.
	 */
	@FunctionalInterface
	private interface Reader {

		@Nullable Object read(Event event, @Nullable String publisherId);

	}

}
