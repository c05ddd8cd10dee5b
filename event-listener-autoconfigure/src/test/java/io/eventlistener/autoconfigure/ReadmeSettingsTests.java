package io.eventlistener.autoconfigure;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's settings table and the generated configuration metadata agree: the same
 * {@code event-listener.*} properties, the same defaults where the metadata knows one,
 * and a description for every property. A new or changed setting fails this test until
 * README says so. Settings tables may also stand in the {@code ## Settings} section of a
 * {@code docs/reference/*.md} page (the security settings do), each setting in one table.
 */
class ReadmeSettingsTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Path REFERENCE = Path.of("..", "docs", "reference");

	private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	private static final Pattern ROW = Pattern.compile("^\\| `(event-listener\\.[a-z0-9.-]+)` \\| ([^|]*) \\|",
			Pattern.MULTILINE);

	@Test
	void readmeListsExactlyTheMetadataProperties() throws IOException {
		assertThat(readmeSettings().keySet()).containsExactlyInAnyOrderElementsOf(metadata().keySet());
	}

	@Test
	void readmeDefaultsAreTheMetadataDefaults() throws IOException {
		Map<String, String> readme = readmeSettings();
		metadata().forEach((name, property) -> {
			JsonNode value = property.get("defaultValue");
			if (value != null && !value.isNull()) {
				assertThat(normalize(readme.get(name))).as("README's default of %s", name).isEqualTo(normalize(value));
			}
		});
	}

	@Test
	void everyPropertyHasADescription() throws IOException {
		metadata().forEach(
				(name, property) -> assertThat(property.path("description").asString("")).as("description of %s", name)
					.isNotBlank());
	}

	@Test
	void everyManagementSettingReadmeNamesIsInTheMetadata() throws IOException {
		Matcher named = Pattern.compile("`(management\\.health\\.eventlistener\\.[a-z.-]+)=")
			.matcher(Files.readString(README));
		JsonNode metadata = JsonMapper.builder().build().readTree(Files.readString(METADATA));
		List<String> names = new ArrayList<>();
		metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));
		assertThat(named.find()).as("README names management.health.eventlistener.*").isTrue();
		do {
			assertThat(names).as("the configuration metadata").contains(named.group(1));
		}
		while (named.find());
	}

	private static Map<String, String> readmeSettings() throws IOException {
		Map<String, String> settings = new LinkedHashMap<>();
		String readme = Files.readString(README);
		assertThat(readme.indexOf("\n## Settings")).as("README has a Settings section").isNotNegative();
		addSettings(readme, settings);
		if (Files.isDirectory(REFERENCE)) {
			try (Stream<Path> pages = Files.list(REFERENCE)) {
				for (Path page : pages.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
					addSettings(Files.readString(page), settings);
				}
			}
		}
		return settings;
	}

	private static void addSettings(String page, Map<String, String> settings) {
		int start = page.indexOf("\n## Settings");
		if (start == -1) {
			return;
		}
		int end = page.indexOf("\n## ", start + 1);
		Matcher row = ROW.matcher(page.substring(start, (end != -1) ? end : page.length()));
		while (row.find()) {
			assertThat(settings.put(row.group(1), row.group(2).trim())).as("%s listed once", row.group(1)).isNull();
		}
	}

	private static Map<String, JsonNode> metadata() throws IOException {
		JsonNode metadata = JsonMapper.builder().build().readTree(Files.readString(METADATA));
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("event-listener.")) {
				properties.put(name, property);
			}
		}
		return properties;
	}

	private static String normalize(JsonNode value) {
		return value.isNumber() ? new BigDecimal(value.asString()).stripTrailingZeros().toPlainString()
				: value.asString();
	}

	private static String normalize(@Nullable String cell) {
		if (cell == null) {
			return "(not in README)";
		}
		String value = cell.replace("`", "").trim();
		try {
			return new BigDecimal(value).stripTrailingZeros().toPlainString();
		}
		catch (NumberFormatException ex) {
			return value;
		}
	}

}
