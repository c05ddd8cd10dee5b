package io.eventlistener;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Whether Psych 3.3's {@code ScalarScanner#tokenize} would read a plain scalar back as
 * something other than a String (a number, a date, a time, a boolean, {@code nil}, a
 * symbol), which is why Psych single-quotes such a string when it writes it. The patterns
 * are Psych's, in its order; a match is taken as a non-String without Psych's final
 * conversion, except for dates, which Psych reads as Strings when they are not real
 * dates.
 */
final class PsychScalarScanner {

	private static final Pattern STRING_LIKE = Pattern.compile("^[^\\d.:-]?[A-Za-z_\\s!@#$%^&*(){}<>|/\\\\~;=]+");

	private static final Pattern NOT_SPECIAL_WORD = Pattern.compile("^[^ytonf~]", Pattern.CASE_INSENSITIVE);

	private static final Pattern SPECIAL_WORD = Pattern.compile("^(~|null|yes|true|on|no|false|off)$",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern TIME = Pattern.compile(
			"^-?\\d{4}-\\d{1,2}-\\d{1,2}(?:[Tt]|\\s+)\\d{1,2}:\\d\\d:\\d\\d(?:\\.\\d*)?(?:\\s*(?:Z|[-+]\\d{1,2}:?(?:\\d\\d)?))?$");

	private static final Pattern DATE = Pattern.compile("^\\d{4}-(?:1[012]|0\\d|\\d)-(?:[12]\\d|3[01]|0\\d|\\d)$");

	private static final Pattern SPECIAL_FLOAT = Pattern.compile("^(-?\\.inf|\\.nan)$", Pattern.CASE_INSENSITIVE);

	private static final Pattern SYMBOL = Pattern.compile("^:.");

	private static final Pattern SEXAGESIMAL = Pattern.compile("^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}(\\.[0-9_]*)?$");

	private static final Pattern FLOAT = Pattern.compile("^[-+]?([0-9][0-9_,]*)?\\.[0-9]*([eE][-+][0-9]+)?$");

	private static final Pattern LONE_DOT = Pattern.compile("\\A[-+]?\\.\\z");

	private static final Pattern INTEGER = Pattern
		.compile("^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9][0-9_,]*)|[-+]?0x[0-9a-fA-F_,]+)$");

	private PsychScalarScanner() {
	}

	static boolean readsAsNonString(String value) {
		if (value.isEmpty()) {
			return true;
		}
		if (STRING_LIKE.matcher(value).find() || value.indexOf('\n') >= 0) {
			return value.length() <= 5 && !NOT_SPECIAL_WORD.matcher(value).find() && SPECIAL_WORD.matcher(value).find();
		}
		if (TIME.matcher(value).find()) {
			return true;
		}
		if (DATE.matcher(value).find()) {
			return isDate(value);
		}
		if (SPECIAL_FLOAT.matcher(value).find() || SYMBOL.matcher(value).find() || SEXAGESIMAL.matcher(value).find()) {
			return true;
		}
		if (FLOAT.matcher(value).find()) {
			return !LONE_DOT.matcher(value).find();
		}
		return INTEGER.matcher(value).find();
	}

	private static boolean isDate(String value) {
		String[] parts = value.split("-");
		try {
			LocalDate.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
			return true;
		}
		catch (DateTimeException ex) {
			return false;
		}
	}

}
