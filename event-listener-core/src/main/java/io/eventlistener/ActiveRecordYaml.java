package io.eventlistener;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.emitter.Emitter;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.ImplicitTuple;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.events.StreamStartEvent;

/**
 * An array of strings in a text column as ActiveRecord 6.1's
 * {@code serialize :column, Array} keeps it (isimud's {@code exchange_routing_keys}): the
 * YAML Ruby's Psych writes, {@code "---\n- model.Order.*.create\n- alert.#\n"}, and
 * {@code NULL} for an empty array (ActiveRecord writes nothing for the default value).
 * Reads any YAML sequence ({@code "--- []\n"}, as {@code YAML.dump([])} and older Rails
 * wrote it, included) with SnakeYAML's safe constructor.
 * <p>
 * SnakeYAML's emitter is a port of libyaml's, the emitter under Psych, so it already
 * makes libyaml's choices (a plain scalar falls back to single quotes when it holds
 * {@code ": "} or {@code " #"}, or starts with an indicator, then to double quotes). What
 * Psych decides before libyaml sees the string is repeated here, from Psych 3.3's
 * {@code YAMLTree#visit_String}: a string that starts with a non-word character and holds
 * no {@code "} is double-quoted ({@code "*.User.create"}, {@code "#"}); {@code y} and
 * {@code n} are double-quoted; a string Psych's {@code ScalarScanner} would read back as
 * something else (a number, a date, {@code true}, {@code null}) is single-quoted; a
 * multi-line string is a literal block. Not reproduced, as no routing key needs them:
 * Psych's {@code !binary} form of a string that is not valid UTF-8, its tagged form of
 * {@code "<<"}, and folding past a {@code line_width} (Psych sets none by default).
 */
final class ActiveRecordYaml {

	private static final Pattern STARTS_WITH_NON_WORD_WITHOUT_DOUBLE_QUOTE = Pattern.compile("^[^\\w][^\"]*$",
			Pattern.UNICODE_CHARACTER_CLASS);

	private static final Pattern MULTI_LINE = Pattern.compile("\n(?!\\z)");

	private static final Pattern OCTAL_LOOKING = Pattern.compile("\\A0[0-7]*[89]");

	private static final ImplicitTuple IMPLICIT = new ImplicitTuple(true, true);

	private ActiveRecordYaml() {
	}

	/**
	 * Write an array as ActiveRecord does.
	 * @param values the array, possibly {@code null}
	 * @return the column's text, {@code null} for a {@code null} or empty array
	 */
	static @Nullable String write(@Nullable Collection<String> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		DumperOptions options = new DumperOptions();
		options.setAllowUnicode(true);
		options.setWidth(80);
		StringWriter out = new StringWriter();
		Emitter emitter = new Emitter(out, options);
		try {
			emitter.emit(new StreamStartEvent(null, null));
			emitter.emit(new DocumentStartEvent(null, null, true, null, null));
			emitter.emit(new SequenceStartEvent(null, null, true, null, null, DumperOptions.FlowStyle.BLOCK));
			for (String value : values) {
				emitter.emit(new ScalarEvent(null, null, IMPLICIT, value, null, null, psychStyle(value)));
			}
			emitter.emit(new SequenceEndEvent(null, null));
			emitter.emit(new DocumentEndEvent(null, null, false));
			emitter.emit(new StreamEndEvent(null, null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	/**
	 * Read a column as ActiveRecord does: {@code NULL} is an empty array.
	 * @param column the column's text
	 * @return the strings, in order
	 * @throws IllegalArgumentException if the text is not YAML or not a sequence
	 * (ActiveRecord raises {@code SerializationTypeMismatch})
	 */
	static List<String> read(@Nullable String column) {
		if (column == null) {
			return List.of();
		}
		Object loaded;
		try {
			loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(column);
		}
		catch (YAMLException ex) {
			throw new IllegalArgumentException("Not YAML: " + ex.getMessage(), ex);
		}
		if (loaded == null) {
			return List.of();
		}
		if (!(loaded instanceof List<?> list)) {
			throw new IllegalArgumentException(
					"Expected a YAML sequence (an Array), found " + loaded.getClass().getSimpleName());
		}
		List<String> values = new ArrayList<>(list.size());
		for (Object item : list) {
			if (item != null) {
				values.add(item.toString());
			}
		}
		return List.copyOf(values);
	}

	/**
	 * The style Psych asks libyaml for, in the order {@code visit_String} decides it.
	 */
	static DumperOptions.ScalarStyle psychStyle(String value) {
		if (MULTI_LINE.matcher(value).find()) {
			return DumperOptions.ScalarStyle.LITERAL;
		}
		if (value.equals("y") || value.equals("n")) {
			return DumperOptions.ScalarStyle.DOUBLE_QUOTED;
		}
		if (STARTS_WITH_NON_WORD_WITHOUT_DOUBLE_QUOTE.matcher(value).find()) {
			return DumperOptions.ScalarStyle.DOUBLE_QUOTED;
		}
		if (PsychScalarScanner.readsAsNonString(value) || OCTAL_LOOKING.matcher(value).find()) {
			return DumperOptions.ScalarStyle.SINGLE_QUOTED;
		}
		return DumperOptions.ScalarStyle.PLAIN;
	}

}
