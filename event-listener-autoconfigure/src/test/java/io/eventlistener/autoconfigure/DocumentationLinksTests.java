package io.eventlistener.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of README.md and of the Markdown pages under docs/ points to a file
 * that exists and, when it names an anchor of a Markdown page, to a heading that page has
 * (GitHub's anchor rules). Links inside fenced code blocks are not links.
 */
class DocumentationLinksTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

	/**
	 * Pages written on another branch at the same time, linked before they exist here:
	 * docs/reference/security.md (trust boundaries).
	 */
	private static final Set<Path> PENDING = Set.of(ROOT.resolve("docs/reference/security.md"));

	@Test
	void everyRelativeLinkPointsToSomethingThatExists() throws IOException {
		List<String> broken = new ArrayList<>();
		Map<Path, Set<String>> anchors = new HashMap<>();
		for (Path page : pages()) {
			for (String target : links(Files.readString(page))) {
				if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
					continue; // https:, mailto:
				}
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				String anchor = (hash >= 0) ? target.substring(hash + 1) : null;
				Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
				if (PENDING.contains(linked) && !Files.exists(linked)) {
					continue;
				}
				if (!Files.exists(linked)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
				}
				else if (anchor != null && linked.toString().endsWith(".md")
						&& !anchors.computeIfAbsent(linked, DocumentationLinksTests::anchors).contains(anchor)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(broken).as("broken links in README.md and docs/").isEmpty();
	}

	@Test
	void readmeLinksEveryReferencePage() throws IOException {
		Path readme = ROOT.resolve("README.md");
		Set<Path> linked = new HashSet<>();
		for (String target : links(Files.readString(readme))) {
			int hash = target.indexOf('#');
			linked.add(readme.getParent().resolve((hash >= 0) ? target.substring(0, hash) : target).normalize());
		}
		List<Path> reference = new ArrayList<>();
		try (Stream<Path> pages = Files.list(ROOT.resolve("docs/reference"))) {
			pages.filter((path) -> path.toString().endsWith(".md")).forEach(reference::add);
		}
		reference.addAll(PENDING);
		assertThat(reference).as("docs/reference pages README links")
			.isNotEmpty()
			.allSatisfy((page) -> assertThat(linked).as("README links %s", ROOT.relativize(page)).contains(page));
	}

	@Test
	void theChecksSeeABrokenLink() {
		assertThat(links("see [here](nowhere.md) and\n```\n[not](a-link.md)\n```\n")).containsExactly("nowhere.md");
		assertThat(anchors(
				"# The page\n\n## Publishing: `publish` against `publishAsync`\n\n## Settings\n\n## Settings\n"))
			.containsExactlyInAnyOrder("the-page", "publishing-publish-against-publishasync", "settings", "settings-1");
	}

	private static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	private static List<String> links(String markdown) {
		List<String> links = new ArrayList<>();
		boolean fenced = false;
		for (String line : markdown.split("\n")) {
			if (line.stripLeading().startsWith("```")) {
				fenced = !fenced;
			}
			else if (!fenced) {
				Matcher link = LINK.matcher(line);
				while (link.find()) {
					links.add(link.group(1));
				}
			}
		}
		return links;
	}

	private static Set<String> anchors(Path page) {
		try {
			return anchors(Files.readString(page));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Set<String> anchors(String markdown) {
		Set<String> anchors = new HashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		boolean fenced = false;
		for (String line : markdown.split("\n")) {
			if (line.stripLeading().startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (!fenced && heading.matches()) {
				String slug = heading.group(1)
					.trim()
					.toLowerCase(Locale.ROOT)
					.replaceAll("[^\\p{L}\\p{N} _-]", "")
					.replace(' ', '-');
				int count = seen.merge(slug, 1, Integer::sum);
				anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
		}
		return anchors;
	}

}
