package io.eventlistener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IsimudRoutingKeysConverter} against the real thing: ActiveRecord 6.1's YAML
 * column coder (Debian's {@code ruby-activerecord}, which {@code .ci/run} installs), run
 * as a child process on every fixture of {@link IsimudRoutingKeysConverterTests}. What we
 * write is what ActiveRecord writes, byte for byte, and each side reads what the other
 * wrote.
 */
class ActiveRecordYamlIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void columnTextIsWhatActiveRecordWritesAndEachSideReadsTheOthers() throws Exception {
		IsimudRoutingKeysConverter converter = new IsimudRoutingKeysConverter();
		List<List<String>> cases = new ArrayList<>(IsimudRoutingKeysConverterTests.activeRecordColumns()
			.map(Arguments::get)
			.map((arguments) -> castKeys(arguments[0]))
			.toList());
		cases.add(List.of());
		List<String> ours = cases.stream().map(converter::convertToDatabaseColumn).toList();

		Map<String, Object> request = new LinkedHashMap<>();
		request.put("dump", cases);
		request.put("load", ours);
		JsonNode answer = activeRecord(json.writeValueAsString(request));

		for (int i = 0; i < cases.size(); i++) {
			JsonNode written = answer.get("dump").get(i);
			assertThat(ours.get(i)).as("column text of %s", cases.get(i))
				.isEqualTo(written.isNull() ? null : written.asString());
			assertThat(json.convertValue(answer.get("load").get(i), List.class))
				.as("ActiveRecord reading our column for %s", cases.get(i))
				.isEqualTo(cases.get(i));
			assertThat(converter.convertToEntityAttribute(written.isNull() ? null : written.asString()))
				.as("reading ActiveRecord's column for %s", cases.get(i))
				.isEqualTo(cases.get(i));
		}
		System.out
			.println("ActiveRecord YAML column: " + cases.size() + " fixtures agree with " + answer.get("versions"));
	}

	@SuppressWarnings("unchecked")
	private static List<String> castKeys(Object keys) {
		return (List<String>) keys;
	}

	private static JsonNode activeRecord(String request) throws IOException, InterruptedException {
		Path script = Files.createTempFile("yaml_column", ".rb");
		try (InputStream resource = ActiveRecordYamlIntegrationTests.class
			.getResourceAsStream("/activerecord/yaml_column.rb")) {
			Files.write(script, resource.readAllBytes());
			Process ruby;
			try {
				ruby = new ProcessBuilder("ruby", script.toString()).redirectErrorStream(false).start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("This test runs ActiveRecord 6.1 with Ruby, which is not installed ("
						+ ex.getMessage() + "): apt-get install ruby ruby-activerecord, or run 'bash .ci/run', "
						+ "which installs them", ex);
			}
			ruby.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
			ruby.getOutputStream().close();
			String output = new String(ruby.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String errors = new String(ruby.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(ruby.waitFor(60, TimeUnit.SECONDS)).as("ruby finished").isTrue();
			assertThat(ruby.exitValue())
				.as("ruby's exit status (%s); ActiveRecord comes from apt-get install ruby-activerecord", errors)
				.isZero();
			return json.readTree(output);
		}
		finally {
			Files.deleteIfExists(script);
		}
	}

}
