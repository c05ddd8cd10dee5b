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
 * The Quick start is this module. docs/reference/quickstart.md shows every file of it:
 * every snippet captioned with a file name there is that file here, character for
 * character, and every file of the module is there. README's Quick start shows a part
 * of it, and every captioned snippet there is the module's file too.
 */
class ReadmeQuickstartTests {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    private static final Path README = MODULE.resolve("../../README.md").normalize();

    private static final Path FULL = MODULE.resolve("../../docs/reference/quickstart.md").normalize();

    // a caption line such as `src/main/java/com/example/billing/Subscription.java`:
    // followed by a fenced block
    private static final Pattern SNIPPET = Pattern.compile("^`([^`]+)`:\\n\\n```[a-z]*\\n(.*?)^```$",
            Pattern.MULTILINE | Pattern.DOTALL);

    @Test
    void everySnippetOfTheFullPageIsTheModulesFile() throws IOException {
        Map<String, String> snippets = snippets(Files.readString(FULL));
        assertThat(snippets).isNotEmpty();
        snippets.forEach((file, snippet) -> assertThat(read(file))
            .as("%s in docs/reference/quickstart.md and in examples/quickstart", file)
            .isEqualTo(snippet));
    }

    @Test
    void everyFileOfTheModuleIsOnTheFullPage() throws IOException {
        Map<String, String> snippets = snippets(Files.readString(FULL));
        try (var files = Files.walk(MODULE.resolve("src/main"))) {
            files.filter(Files::isRegularFile)
                .map((file) -> MODULE.relativize(file).toString())
                .forEach((file) -> assertThat(snippets).as("docs/reference/quickstart.md shows " + file)
                    .containsKey(file));
        }
        assertThat(snippets).containsKey("pom.xml");
    }

    @Test
    void everySnippetOfReadmesQuickStartIsTheModulesFile() throws IOException {
        Map<String, String> snippets = snippets(readmeQuickStart());
        assertThat(snippets).as("README's Quick start shows files of the module").isNotEmpty();
        snippets.forEach((file, snippet) -> assertThat(read(file))
            .as("%s in README's Quick start and in examples/quickstart", file)
            .isEqualTo(snippet));
    }

    private static String readmeQuickStart() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## Quick start\n");
        assertThat(start).as("README has a Quick start section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, (end > 0) ? end : readme.length());
    }

    private static Map<String, String> snippets(String text) {
        Matcher snippets = SNIPPET.matcher(text);
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
            throw new IllegalStateException("The Quick start shows " + file + ", which examples/quickstart does not have",
                    ex);
        }
    }
}
