package io.eventlistener.wire;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;

import org.jspecify.annotations.Nullable;

/**
 * Attribute values as a Rails application's {@code to_json} writes them, so a
 * model-watcher message from here reads like one from isimud: times as ISO-8601 UTC with
 * milliseconds ({@code "2016-03-01T12:34:56.789Z"}, ActiveSupport's default), decimals as
 * strings. A {@link LocalDateTime} is taken as UTC, as ActiveRecord writes timestamps
 * ({@code default_timezone = :utc}). Other values are left to Jackson.
 */
public final class RailsValues {

	private RailsValues() {
	}

	/**
	 * The instant a date-time attribute value stands for.
	 * @param value an {@link Instant}, {@link OffsetDateTime}, {@link ZonedDateTime},
	 * {@link LocalDateTime} (UTC) or {@link Date}
	 * @return the instant, or {@code null} for {@code null} or any other value
	 */
	public static @Nullable Instant instant(@Nullable Object value) {
		if (value instanceof Instant instant) {
			return instant;
		}
		if (value instanceof OffsetDateTime time) {
			return time.toInstant();
		}
		if (value instanceof ZonedDateTime time) {
			return time.toInstant();
		}
		if (value instanceof LocalDateTime time) {
			return time.toInstant(ZoneOffset.UTC);
		}
		if (value instanceof Date date) {
			return date.toInstant();
		}
		return null;
	}

	/**
	 * A value as Rails would put it in JSON.
	 * @param value an attribute value
	 * @return the value to serialise
	 */
	static @Nullable Object json(@Nullable Object value) {
		if (value instanceof BigDecimal decimal) {
			return decimal.toPlainString();
		}
		Instant instant = instant(value);
		return (instant != null) ? EventCodec.RAILS_TIME.format(instant) : value;
	}

}
