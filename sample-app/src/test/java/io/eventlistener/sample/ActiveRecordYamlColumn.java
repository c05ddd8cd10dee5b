package io.eventlistener.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What ActiveRecord 6.1 itself writes to and reads from a column declared
 * {@code serialize :exchange_routing_keys, Array}: Debian's {@code ruby-activerecord} run
 * as a child process ({@code activerecord/yaml_column.rb}, the script
 * event-listener-core's {@code ActiveRecordYamlIntegrationTests} runs), not a Java
 * imitation of it.
 */
final class ActiveRecordYamlColumn {

	private static final JsonMapper json = JsonMapper.builder().build();

	private ActiveRecordYamlColumn() {
	}

	/**
	 * The column text ActiveRecord writes for these keys.
	 * @param keys the routing keys
	 * @return Psych's YAML, or {@code null} (SQL {@code NULL}) for no keys
	 */
	static @Nullable String dump(List<String> keys) {
		JsonNode written = run(Map.of("dump", List.of(keys), "load", List.of())).get("dump").get(0);
		return written.isNull() ? null : written.asString();
	}

	/**
	 * The keys ActiveRecord reads from a column's text.
	 * @param column the column's text
	 * @return the routing keys
	 */
	static List<String> load(String column) {
		JsonNode read = run(Map.of("dump", List.of(), "load", List.of(column))).get("load").get(0);
		return read.valueStream().map(JsonNode::asString).toList();
	}

	private static JsonNode run(Map<String, Object> request) {
		try {
			Path script = Files.createTempFile("yaml_column", ".rb");
			try (InputStream resource = ActiveRecordYamlColumn.class
				.getResourceAsStream("/activerecord/yaml_column.rb")) {
				Files.write(script, resource.readAllBytes());
				return ruby(script, json.writeValueAsString(request));
			}
			finally {
				Files.deleteIfExists(script);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run ActiveRecord's YAML column coder", ex);
		}
	}

	private static JsonNode ruby(Path script, String request) throws IOException {
		Process ruby;
		try {
			ruby = new ProcessBuilder("ruby", script.toString()).start();
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
		try {
			if (!ruby.waitFor(60, TimeUnit.SECONDS) || ruby.exitValue() != 0) {
				throw new IllegalStateException(
						"ruby failed (" + errors + "); ActiveRecord comes from apt-get install ruby-activerecord");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return json.readTree(output);
	}

}
