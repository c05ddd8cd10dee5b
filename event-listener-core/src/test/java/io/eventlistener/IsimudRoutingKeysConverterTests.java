package io.eventlistener;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Pins the column text against what ActiveRecord 6.1's
 * {@code serialize :exchange_routing_keys, Array} writes through Psych 3.3 on libyaml
 * ({@code YAML.dump(keys)}), both ways. Where Psych quotes, the reason is given: Psych's
 * {@code visit_String} asks for double quotes for a string starting with a non-word
 * character and holding no {@code "}, and for single quotes for one its scalar scanner
 * would read back as a non-String; libyaml falls back from plain to single quotes for a
 * string starting with an indicator or holding {@code ": "}, {@code " #"} or a trailing
 * {@code ":"} or space.
 */
class IsimudRoutingKeysConverterTests {

	private final IsimudRoutingKeysConverter converter = new IsimudRoutingKeysConverter();

	static Stream<Arguments> activeRecordColumns() {
		return Stream.of(
				// the issue's example: plain scalars, * and # inside need no quotes
				Arguments.of(List.of("model.Order.*.create", "alert.#"), "---\n- model.Order.*.create\n- alert.#\n"),
				// isimud's spec Company: a leading * is a non-word start, double-quoted
				// by Psych
				Arguments.of(List.of("*.User.create", "*.User.destroy"),
						"---\n- \"*.User.create\"\n- \"*.User.destroy\"\n"),
				Arguments.of(List.of("#", "#.Invoice.*"), "---\n- \"#\"\n- \"#.Invoice.*\"\n"),
				// quotes: inside a word, plain; a leading " is a libyaml indicator, so
				// single quotes
				Arguments.of(List.of("it's.#", "say \"hi\".*"), "---\n- it's.#\n- say \"hi\".*\n"),
				Arguments.of(List.of("\"quoted\".key"), "---\n- '\"quoted\".key'\n"),
				// colons: a:b stays plain; ": " and a trailing ":" are block indicators;
				// a leading ":" is a non-word start (Psych would read a symbol)
				Arguments.of(List.of("a:b.#", "key: value", "ends:", ":symbol"),
						"---\n- a:b.#\n- 'key: value'\n- 'ends:'\n- \":symbol\"\n"),
				// " #" starts a comment
				Arguments.of(List.of("a #b"), "---\n- 'a #b'\n"),
				// non-ASCII is written as it is (Psych sets libyaml's unicode flag)
				Arguments.of(List.of("model.Café.*.create", "événement.#", "«guillemets»"),
						"---\n- model.Café.*.create\n- événement.#\n- \"«guillemets»\"\n"),
				// what Psych would read back as a number, a date or a boolean is
				// single-quoted;
				// y and n are double-quoted
				Arguments.of(List.of("123", "1.5", "true", "No", "2016-03-01", "y", "07.x"),
						"---\n- '123'\n- '1.5'\n- 'true'\n- 'No'\n- '2016-03-01'\n- \"y\"\n- 07.x\n"));
	}

	@ParameterizedTest
	@MethodSource("activeRecordColumns")
	void writesWhatActiveRecordWrites(List<String> keys, String column) {
		assertThat(this.converter.convertToDatabaseColumn(keys)).isEqualTo(column);
	}

	@ParameterizedTest
	@MethodSource("activeRecordColumns")
	void readsWhatActiveRecordWrites(List<String> keys, String column) {
		assertThat(this.converter.convertToEntityAttribute(column)).isEqualTo(keys);
	}

	@Test
	void noKeysAreWrittenAsNullAsActiveRecordWritesTheDefaultValue() {
		assertThat(this.converter.convertToDatabaseColumn(List.of())).isNull();
		assertThat(this.converter.convertToDatabaseColumn(null)).isNull();
	}

	@Test
	void nullAndAnEmptyYamlArrayReadAsNoKeys() {
		assertThat(this.converter.convertToEntityAttribute(null)).isEmpty();
		assertThat(this.converter.convertToEntityAttribute("--- []\n")).isEmpty();
		assertThat(this.converter.convertToEntityAttribute("---\n")).isEmpty();
	}

	@Test
	void commaSeparatedTextOfRoutingKeysConverterIsStillRead() {
		assertThat(this.converter.convertToEntityAttribute("model.User.*.create, alert.#"))
			.containsExactly("model.User.*.create", "alert.#");
	}

	@Test
	void aYamlDocumentThatIsNotAnArrayIsRefusedAsActiveRecordRefusesIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.converter.convertToEntityAttribute("---\na: b\n"))
			.withMessageContaining("Expected a YAML sequence");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.converter.convertToEntityAttribute("---\n- [unclosed\n"))
			.withMessageContaining("Not YAML");
	}

	@Test
	void readsYamlWrittenByHandOrOtherEmitters() {
		assertThat(this.converter.convertToEntityAttribute("--- [\"a.#\", 'b.*']\n")).containsExactly("a.#", "b.*");
		assertThat(this.converter.convertToEntityAttribute("---\n  - a.#\n  - 42\n")).containsExactly("a.#", "42");
	}

}
