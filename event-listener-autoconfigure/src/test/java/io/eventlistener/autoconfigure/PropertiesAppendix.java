package io.eventlistener.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes docs/reference/properties.md, the properties appendix, from the configuration
 * metadata that spring-boot-configuration-processor generates (with
 * additional-spring-configuration-metadata.json merged in): every
 * {@code event-listener.*} property and every {@code management.*} property of the
 * starter's endpoints and health indicator, with its type, default and description.
 * {@link PropertiesAppendixTests} fails when the committed page is not what this
 * produces; run it with {@code -Dappendix.write=true} to rewrite the page.
 */
public final class PropertiesAppendix {

	/** The command that rewrites the appendix, run from the repository's root. */
	public static final String REGENERATE = "./mvnw -pl event-listener-autoconfigure -am test "
			+ "-Dtest=PropertiesAppendixTests -Dsurefire.failIfNoSpecifiedTests=false -Dappendix.write=true";

	/** The metadata, relative to event-listener-autoconfigure. */
	static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	/** The appendix, relative to event-listener-autoconfigure. */
	static final Path APPENDIX = Path.of("..", "docs", "reference", "properties.md");

	private static final Pattern TYPE_NAME = Pattern.compile("(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)");

	private PropertiesAppendix() {
	}

	/**
	 * Rewrite docs/reference/properties.md; run with event-listener-autoconfigure as the
	 * working directory, after {@code compile}.
	 * @param args none
	 * @throws IOException if the metadata cannot be read or the page written
	 */
	public static void main(String[] args) throws IOException {
		Files.writeString(APPENDIX, render(Files.readString(METADATA)));
	}

	/**
	 * The appendix for the given metadata.
	 * @param metadataJson the content of spring-configuration-metadata.json
	 * @return the Markdown page
	 */
	static String render(String metadataJson) {
		JsonNode metadata = JsonMapper.builder().build().readTree(metadataJson);
		List<JsonNode> properties = new ArrayList<>();
		metadata.get("properties").forEach((property) -> {
			if (isTheStarters(property.get("name").asString())) {
				properties.add(property);
			}
		});
		properties.sort((a, b) -> a.get("name").asString().compareTo(b.get("name").asString()));
		StringBuilder page = new StringBuilder();
		page.append("# Properties\n\n");
		page.append(
				"<!-- Generated from the configuration metadata by PropertiesAppendix: do not edit by hand. -->\n\n");
		page.append(
				"Every property of the starter, as its configuration metadata (`spring-configuration-metadata.json`,\n");
		page.append(
				"written by `spring-boot-configuration-processor` with `additional-spring-configuration-metadata.json`\n");
		page.append(
				"merged in) describes it. What the settings do together is in [Operations](operations.md#settings).\n");
		page.append(
				"This page is generated: `PropertiesAppendixTests` fails when it is not what the metadata produces.\n");
		page.append("After changing a property, regenerate it from the repository's root with\n\n");
		page.append("```\n").append(REGENERATE).append("\n```\n\n");
		page.append("| property | type | default | description |\n");
		page.append("| --- | --- | --- | --- |\n");
		for (JsonNode property : properties) {
			page.append("| `")
				.append(property.get("name").asString())
				.append("` | ")
				.append(type(property.path("type").asString("")))
				.append(" | ")
				.append(defaultValue(property.get("defaultValue")))
				.append(" | ")
				.append(description(property))
				.append(" |\n");
		}
		return page.toString();
	}

	private static boolean isTheStarters(String name) {
		return name.startsWith("event-listener.") || (name.startsWith("management.") && name.contains("eventlistener"));
	}

	private static String type(String type) {
		if (type.isEmpty()) {
			return "";
		}
		StringBuilder simple = new StringBuilder();
		Matcher name = TYPE_NAME.matcher(type);
		while (name.find()) {
			name.appendReplacement(simple, Matcher.quoteReplacement(name.group(1).replace('$', '.')));
		}
		name.appendTail(simple);
		String values = enumValues(type);
		return "`" + simple.toString().replace(",", ", ") + "`" + (values.isEmpty() ? "" : " (" + values + ")");
	}

	private static String enumValues(String type) {
		try {
			Class<?> candidate = Class.forName(type, false, PropertiesAppendix.class.getClassLoader());
			if (!candidate.isEnum()) {
				return "";
			}
			return Arrays.stream(candidate.getEnumConstants())
				.map((constant) -> "`" + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-') + "`")
				.collect(Collectors.joining(", "));
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return "";
		}
	}

	private static String defaultValue(JsonNode value) {
		if (value == null || value.isNull()) {
			return "";
		}
		return "`" + value.asString() + "`";
	}

	private static String description(JsonNode property) {
		String description = property.path("description").asString("");
		JsonNode deprecation = property.get("deprecation");
		if (property.path("deprecated").asBoolean(false) || deprecation != null) {
			String replacement = (deprecation != null) ? deprecation.path("replacement").asString("") : "";
			description = "**Deprecated**" + (replacement.isEmpty() ? "" : ", use `" + replacement + "`") + ". "
					+ description;
		}
		return description.replace("\r", "").replace("\n", " ").replace("|", "\\|").trim();
	}

}
