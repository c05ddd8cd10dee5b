package io.eventlistener.autoconfigure;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation and the generated configuration metadata agree. The settings table of
 * docs/reference/operations.md lists the same {@code event-listener.*} properties, with
 * the same defaults where the metadata knows one, and every property has a description: a
 * new or changed setting fails this test until the page says so. Every key README or a
 * reference page names ({@code event-listener.*},
 * {@code management.health.eventlistener.*}, {@code management.endpoint.eventlistener*})
 * is a property of the metadata, a group of properties or a key of a map property; only
 * the keys a migration note names as removed are exempt, and they must stay absent.
 */
class DocumentedSettingsTests {

	private static final Path ROOT = Path.of("..");

	private static final Path SETTINGS_PAGE = ROOT.resolve("docs/reference/operations.md");

	private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	private static final Pattern ROW = Pattern.compile("^\\| `(event-listener\\.[a-z0-9.-]+)` \\| ([^|]*) \\|",
			Pattern.MULTILINE);

	private static final Pattern KEY = Pattern
		.compile("(?<![\\w.-])((?:event-listener|management\\.health\\.eventlistener"
				+ "|management\\.endpoint\\.eventlistener[a-z]*)(?:\\.[a-z0-9][a-z0-9-]*)+)");

	/** Keys that isimud.md's migration notes name because they no longer exist. */
	private static final Set<String> REMOVED = Set.of("event-listener.consumer.mode",
			"event-listener.consumer.queues-per-connection");

	@Test
	void settingsTableListsExactlyTheMetadataProperties() throws IOException {
		assertThat(settingsTable().keySet()).containsExactlyInAnyOrderElementsOf(listenerProperties().keySet());
	}

	@Test
	void settingsTableDefaultsAreTheMetadataDefaults() throws IOException {
		Map<String, String> table = settingsTable();
		listenerProperties().forEach((name, property) -> {
			JsonNode value = property.get("defaultValue");
			if (value != null && !value.isNull()) {
				assertThat(normalize(table.get(name))).as("operations.md's default of %s", name)
					.isEqualTo(normalize(value));
			}
		});
	}

	@Test
	void everyPropertyHasADescription() throws IOException {
		listenerProperties().forEach(
				(name, property) -> assertThat(property.path("description").asString("")).as("description of %s", name)
					.isNotBlank());
	}

	@Test
	void everyKeyTheDocumentationNamesIsInTheMetadata() throws IOException {
		Map<String, String> properties = allProperties();
		List<String> unknown = new ArrayList<>();
		for (Path page : pages()) {
			Matcher key = KEY.matcher(Files.readString(page));
			while (key.find()) {
				String name = key.group(1);
				if (!REMOVED.contains(name) && !known(name, properties)) {
					unknown.add(ROOT.relativize(page) + ": " + name);
				}
			}
		}
		assertThat(unknown).as("keys the documentation names that the configuration metadata does not have").isEmpty();
	}

	@Test
	void removedKeysAreNotInTheMetadata() throws IOException {
		assertThat(allProperties()).doesNotContainKeys(REMOVED.toArray(String[]::new));
	}

	@Test
	void theDocumentationNamesTheHealthIndicatorSwitch() throws IOException {
		String all = String.join("\n", pages().stream().map(DocumentedSettingsTests::read).toList());
		assertThat(all).contains("management.health.eventlistener.enabled");
		assertThat(allProperties()).containsKey("management.health.eventlistener.enabled");
	}

	/** README and every page of docs/reference. */
	static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> reference = Files.list(ROOT.resolve("docs/reference"))) {
			reference.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	private static boolean known(String name, Map<String, String> properties) {
		if (properties.containsKey(name)) {
			return true;
		}
		for (Map.Entry<String, String> property : properties.entrySet()) {
			if (property.getKey().startsWith(name + ".")) {
				return true; // a group, such as event-listener.retry.*
			}
			if (property.getValue().startsWith("java.util.Map") && name.startsWith(property.getKey() + ".")) {
				return true; // a map key, such as
								// event-listener.delivery.observers.subscription
			}
		}
		return false;
	}

	private static String read(Path page) {
		try {
			return Files.readString(page);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, String> settingsTable() throws IOException {
		String page = Files.readString(SETTINGS_PAGE);
		int start = page.indexOf("\n## Settings");
		assertThat(start).as("operations.md has a Settings section").isNotNegative();
		int end = page.indexOf("\n## ", start + 1);
		Matcher row = ROW.matcher(page.substring(start, (end != -1) ? end : page.length()));
		Map<String, String> settings = new LinkedHashMap<>();
		while (row.find()) {
			assertThat(settings.put(row.group(1), row.group(2).trim())).as("%s listed once", row.group(1)).isNull();
		}
		return settings;
	}

	/** Every property of the metadata, by name, with its type. */
	private static Map<String, String> allProperties() throws IOException {
		Map<String, String> properties = new LinkedHashMap<>();
		for (JsonNode property : metadata().get("properties")) {
			properties.put(property.get("name").asString(), property.path("type").asString(""));
		}
		return properties;
	}

	private static Map<String, JsonNode> listenerProperties() throws IOException {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("event-listener.")) {
				properties.put(name, property);
			}
		}
		return properties;
	}

	private static JsonNode metadata() throws IOException {
		return JsonMapper.builder().build().readTree(Files.readString(METADATA));
	}

	private static String normalize(JsonNode value) {
		return value.isNumber() ? new BigDecimal(value.asString()).stripTrailingZeros().toPlainString()
				: value.asString();
	}

	private static String normalize(@Nullable String cell) {
		if (cell == null) {
			return "(not in operations.md)";
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
