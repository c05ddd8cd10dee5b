package io.eventlistener.logging;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Makes a string that came from the wire (a routing key, a header, a {@code reply_to}) or
 * from a configured URL safe to log, to put in a health detail or a failure analysis:
 * <ul>
 * <li>control characters are escaped, so a value cannot forge log lines or drive a
 * terminal: C0 ({@code \n}, {@code \r}, {@code \t} as such, the others and DEL as
 * {@code \}{@code u00XX}), C1 (which includes the 8-bit CSI) and the line and paragraph
 * separators U+2028 and U+2029; an ANSI escape sequence loses its ESC and is printed as
 * text;</li>
 * <li>credentials are removed: the user info of a URL or address
 * ({@code amqps://user:pass@host} becomes {@code amqps://host}, a bare
 * {@code user:pass@host} in {@code spring.rabbitmq.addresses} becomes {@code host}, a
 * JDBC {@code user/pass@host} likewise) and the value of every password-like parameter
 * ({@code password=}, {@code pwd=}, {@code secret=}, {@code token=}) becomes
 * {@value #MASK}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class LogSanitizer {

	/** What a removed secret value is replaced by (as Spring Boot's sanitizer does). */
	public static final String MASK = "******";

	/** User info after a scheme: {@code scheme://user:pass@host}. */
	private static final Pattern URL_USER_INFO = Pattern.compile("(://)[^\\s,/?#@]*@");

	/** A bare address's user info, as {@code spring.rabbitmq.addresses} allows. */
	private static final Pattern ADDRESS_USER_INFO = Pattern.compile("(^|[,\\s])[^\\s,/?#@:]+:[^\\s,/?#@]*@");

	/** Oracle's {@code jdbc:oracle:thin:user/pass@host}. */
	private static final Pattern ORACLE_USER_INFO = Pattern.compile("(jdbc:oracle:[a-z]+:)[^\\s@/]*/[^\\s@]*@");

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)((?:password|passwd|pwd|secret|token)[a-z_.-]*\\s*[=:]\\s*)([^;&,\\s)\"']+)");

	private LogSanitizer() {
	}

	/**
	 * Return the text, control characters escaped and credentials removed.
	 * @param value the text, or {@code null}
	 * @return the text to log; {@code "null"} for {@code null}
	 */
	public static String sanitize(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		return escapeControlCharacters(removeCredentials(value.toString()));
	}

	/**
	 * Return the text with user info and password parameters removed.
	 * @param text the text, such as a URL or a comma-separated list of addresses
	 * @return the text without credentials
	 */
	public static String removeCredentials(String text) {
		String result = text;
		if (result.indexOf('@') >= 0) {
			result = ORACLE_USER_INFO.matcher(result).replaceAll("$1");
			result = URL_USER_INFO.matcher(result).replaceAll("$1");
			result = ADDRESS_USER_INFO.matcher(result).replaceAll("$1");
		}
		if (result.indexOf('=') >= 0 || result.indexOf(':') >= 0) {
			result = SECRET_PARAMETER.matcher(result).replaceAll("$1" + MASK);
		}
		return result;
	}

	/**
	 * Return the text with its control characters escaped.
	 * @param text the text
	 * @return the text, every control character written as an escape
	 */
	public static String escapeControlCharacters(String text) {
		int first = firstControlCharacter(text);
		if (first < 0) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
		for (int i = first; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!isControl(c)) {
				escaped.append(c);
			}
			else if (c == '\n') {
				escaped.append("\\n");
			}
			else if (c == '\r') {
				escaped.append("\\r");
			}
			else if (c == '\t') {
				escaped.append("\\t");
			}
			else {
				escaped.append(String.format("\\u%04X", (int) c));
			}
		}
		return escaped.toString();
	}

	private static int firstControlCharacter(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (isControl(text.charAt(i))) {
				return i;
			}
		}
		return -1;
	}

	private static boolean isControl(char c) {
		return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
	}

}
