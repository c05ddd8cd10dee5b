package com.example.billing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What users get is what the release publishes: the published modules are built into a
 * staging folder as a release builds them ({@code .ci/release-staging}, from a copy of the
 * sources), then this Quick start is built from that folder alone. Its local repository
 * starts empty of {@code io.eventlistener} (everything else comes from the build's own
 * repository, read-only), so a module left out of the release, a missing signature or a
 * POM that names something unpublished fails here, not in a user's first build. The jar it
 * builds is then started as a process and handles README's event. The files built are the
 * module's, which {@code ReadmeQuickstartTests} holds equal to README's and the Quick start
 * page's.
 */
class StagedReleaseIntegrationTests {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    private static final Path ROOT = MODULE.resolve("../..").normalize();

    private static final Path USER_REPOSITORY = Path.of(System.getProperty("maven.repo.local",
            Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));

    private static final List<String> PUBLISHED = List.of("event-listener-parent", "event-listener-bom",
            "event-listener-core", "event-listener-autoconfigure", "event-listener-starter", "event-listener-test");

    @TempDir
    Path work;

    @Test
    void quickStartBuildsFromTheStagedReleaseAlone() throws Exception {
        Path sources = copySources(ROOT, this.work.resolve("sources"));
        Path staging = this.work.resolve("staging");
        run(sources, List.of("bash", ".ci/release-staging", staging.toString()), this.work.resolve("release.log"));

        for (String artifact : PUBLISHED) {
            assertThat(staging.resolve("io/eventlistener/" + artifact)).as("%s staged", artifact).isDirectory();
        }
        try (Stream<Path> files = Files.walk(staging)) {
            for (Path file : files.filter(StagedReleaseIntegrationTests::isPublishedFile).toList()) {
                assertThat(file.resolveSibling(file.getFileName() + ".asc")).as("signature of %s", file).isRegularFile();
                assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".sha1")).trim())
                    .as("SHA-1 of %s", file)
                    .isEqualTo(sha1(file));
            }
        }
        try (Stream<Path> files = Files.walk(staging)) {
            assertThat(files.map((file) -> file.getFileName().toString())).as("no test harness published")
                .noneMatch((name) -> name.endsWith("-tests.jar"));
        }
        for (String artifact : List.of("event-listener-core", "event-listener-autoconfigure", "event-listener-starter",
                "event-listener-test")) {
            try (Stream<Path> files = Files.walk(staging.resolve("io/eventlistener/" + artifact))) {
                assertThat(files.map((file) -> file.getFileName().toString())).as("%s's sources and javadoc", artifact)
                    .anyMatch((name) -> name.endsWith("-sources.jar"))
                    .anyMatch((name) -> name.endsWith("-javadoc.jar"));
            }
        }

        Path application = this.work.resolve("quickstart");
        Files.createDirectories(application);
        Files.copy(MODULE.resolve("pom.xml"), application.resolve("pom.xml"));
        copySources(MODULE.resolve("src/main"), application.resolve("src/main"));
        Path settings = this.work.resolve("settings.xml");
        Files.writeString(settings, settings(staging));
        Path repository = this.work.resolve("repository");
        run(application, List.of(ROOT.resolve("mvnw").toString(), "-B", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository, "-Dmaven.repo.local.tail=" + tailWithoutUs(), "package",
                "-DskipTests"), this.work.resolve("quickstart.log"));

        assertThat(repository.resolve("io/eventlistener/event-listener-starter")).as("the starter, from staging")
            .isDirectory();
        try (JarFile jar = new JarFile(application.resolve("target/billing-0.0.1-SNAPSHOT.jar").toFile())) {
            assertThat(jar.stream().map((entry) -> entry.getName()))
                .anyMatch((name) -> name.matches("BOOT-INF/lib/event-listener-core-0\\.1\\.0-.*\\.jar"))
                .anyMatch((name) -> name.matches("BOOT-INF/lib/event-listener-autoconfigure-0\\.1\\.0-.*\\.jar"));
        }
        handlesAnEvent(application.resolve("target/billing-0.0.1-SNAPSHOT.jar"));
    }

    /**
     * README's "see it work", on the jar built from the staged release: started as a
     * process, given isimud's bytes through the management API, it logs the handled event.
     */
    private void handlesAnEvent(Path jar) throws Exception {
        String id = "staged" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        QuickstartServices.createSchema(id);
        Path log = this.work.resolve("application.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(QuickstartServices.arguments(id));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // routed once the subscription's queue is bound; an unrouted try delivers nothing
            await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> QuickstartServices.publishThroughManagementApi(id + ".events",
                        "model.User.42.create",
                        "{\"type\":\"model\",\"action\":\"create\",\"eventful_type\":\"User\",\"eventful_id\":42}"));
            await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Files.readString(log, StandardCharsets.UTF_8))
                    .containsPattern("Subscription \\d+ received model\\.User\\.42\\.create"));
        }
        finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            QuickstartServices.cleanUp(id);
        }
    }

    /**
     * The build's own repository as a read-only tail, less {@code io/eventlistener}, so
     * nothing of ours is found there, whatever was installed before.
     */
    private Path tailWithoutUs() throws IOException {
        Path tail = this.work.resolve("tail");
        Files.createDirectories(tail.resolve("io"));
        try (Stream<Path> top = Files.list(USER_REPOSITORY)) {
            for (Path entry : top.toList()) {
                if (!entry.getFileName().toString().equals("io")) {
                    Files.createSymbolicLink(tail.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
        Path io = USER_REPOSITORY.resolve("io");
        if (Files.isDirectory(io)) {
            try (Stream<Path> groups = Files.list(io)) {
                for (Path group : groups.toList()) {
                    if (!group.getFileName().toString().equals("eventlistener")) {
                        Files.createSymbolicLink(tail.resolve("io").resolve(group.getFileName().toString()), group);
                    }
                }
            }
        }
        return tail;
    }

    private static String settings(Path staging) {
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>staging</id>
                      <repositories>
                        <repository>
                          <id>staging</id>
                          <url>%s</url>
                          <snapshots><enabled>true</enabled></snapshots>
                        </repository>
                      </repositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>
                </settings>
                """.formatted(staging.toUri());
    }

    private static boolean isPublishedFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".jar") || name.endsWith(".pom")) && Files.isRegularFile(file);
    }

    private static Path copySources(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path relative = from.relativize(file);
                if (isBuildOutput(relative)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    private static boolean isBuildOutput(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals(".git")) {
                return true;
            }
        }
        return false;
    }

    private static void run(Path directory, List<String> command, Path log) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        boolean finished = process.waitFor(15, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished && process.exitValue() == 0)
            .as("%s in %s succeeded; its output:%n%s", command, directory, Files.readString(log, StandardCharsets.UTF_8))
            .isTrue();
    }

    private static String sha1(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file)));
    }

}
