package io.eventlistener.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reference/properties.md is what {@link PropertiesAppendix} makes of the
 * configuration metadata. With {@code -Dappendix.write=true} the test rewrites the page
 * instead (the command is {@link PropertiesAppendix#REGENERATE}).
 */
class PropertiesAppendixTests {

	@Test
	void theAppendixIsWhatTheMetadataProduces() throws IOException {
		String generated = PropertiesAppendix.render(Files.readString(PropertiesAppendix.METADATA));
		if (Boolean.getBoolean("appendix.write")) {
			Files.writeString(PropertiesAppendix.APPENDIX, generated);
		}
		String committed = Files.exists(PropertiesAppendix.APPENDIX) ? Files.readString(PropertiesAppendix.APPENDIX)
				: "(missing)";
		assertThat(committed)
			.as("docs/reference/properties.md is not what the configuration metadata produces; regenerate it "
					+ "from the repository's root with: %s", PropertiesAppendix.REGENERATE)
			.isEqualTo(generated);
	}

	@Test
	void theAppendixListsTheStartersPropertiesAndNoOthers() throws IOException {
		String generated = PropertiesAppendix.render(Files.readString(PropertiesAppendix.METADATA));
		assertThat(generated).contains("| `event-listener.queue-prefix` |")
			.contains("| `management.health.eventlistener.enabled` |")
			.contains("| `event-listener.retry.mode` | `RetryMode` (`always`, `never`, `vote`) |")
			.doesNotContain("`spring.");
	}

}
