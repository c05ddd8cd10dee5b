package com.example.billing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's Quick start is this module: every snippet captioned with a file name there is
 * that file here, character for character, and every file of the module is in README.
 */
class ReadmeQuickstartTests {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    private static final Path README = MODULE.resolve("../../README.md").normalize();

    // a caption line such as `src/main/java/com/example/billing/Subscription.java`:
    // followed by a fenced block
    private static final Pattern SNIPPET = Pattern.compile("^`([^`]+)`:\\n\\n```[a-z]*\\n(.*?)^```$",
            Pattern.MULTILINE | Pattern.DOTALL);

    @Test
    void everySnippetIsTheModulesFile() throws IOException {
        Map<String, String> snippets = quickStartSnippets();
        assertThat(snippets).isNotEmpty();
        snippets.forEach((file, snippet) -> assertThat(read(file))
            .as("%s in README's Quick start and in examples/quickstart", file)
            .isEqualTo(snippet));
    }

    @Test
    void everyFileOfTheModuleIsInReadme() throws IOException {
        Map<String, String> snippets = quickStartSnippets();
        try (var files = Files.walk(MODULE.resolve("src/main"))) {
            files.filter(Files::isRegularFile)
                .map((file) -> MODULE.relativize(file).toString())
                .forEach((file) -> assertThat(snippets).as("README's Quick start shows " + file).containsKey(file));
        }
        assertThat(snippets).containsKey("pom.xml");
    }

    private static Map<String, String> quickStartSnippets() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## Quick start\n");
        assertThat(start).as("README has a Quick start section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        Matcher snippets = SNIPPET.matcher(readme.substring(start, (end > 0) ? end : readme.length()));
        Map<String, String> found = new LinkedHashMap<>();
        while (snippets.find()) {
            found.put(snippets.group(1), snippets.group(2));
        }
        return found;
    }

    private static String read(String file) {
        try {
            return Files.readString(MODULE.resolve(file));
        }
        catch (IOException ex) {
            throw new IllegalStateException("README's Quick start shows " + file
                    + ", which examples/quickstart does not have", ex);
        }
    }
}
