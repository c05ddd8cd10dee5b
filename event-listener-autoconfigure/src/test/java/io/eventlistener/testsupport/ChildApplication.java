package io.eventlistener.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An application in a JVM of its own, on this JVM's class path, so that a test can end it
 * the way an operating system does: {@link #terminate()} (SIGTERM, the graceful stop an
 * orchestrator asks for) or {@link #kill()} (SIGKILL: its connections close with no
 * goodbye). Its settings are command-line arguments ({@code --key=value}); no web server
 * unless they ask for one. Its output goes to {@code target/<name>.log}.
 */
public final class ChildApplication implements AutoCloseable {

	private static final long STOP_SECONDS = 60;

	private final String name;

	private final Process process;

	private final File log;

	private ChildApplication(String name, Process process, File log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/**
	 * Start an application.
	 * @param main its class with a {@code main} method
	 * @param name names its log file
	 * @param settings its settings
	 * @param jvmOptions options for its JVM ({@code -Xmx384m})
	 * @return the running process
	 */
	public static ChildApplication start(Class<?> main, String name, Map<String, ?> settings, String... jvmOptions) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(List.of(jvmOptions));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		if (!settings.containsKey("spring.main.web-application-type")) {
			command.add("--" + TestNamespace.NO_WEB_SERVER);
		}
		settings.forEach((key, value) -> command.add("--" + key + "=" + value));
		File log = new File("target/" + name + ".log");
		try {
			return new ChildApplication(name,
					new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start(), log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name, ex);
		}
	}

	public String name() {
		return this.name;
	}

	public Process process() {
		return this.process;
	}

	/**
	 * Its output so far.
	 * @return the log's text
	 */
	public String output() {
		try {
			return Files.readString(this.log.toPath());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Send SIGTERM and wait for the process to end.
	 * @return its exit status
	 */
	public int terminate() {
		this.process.destroy();
		return awaitExit();
	}

	/**
	 * Send SIGKILL and wait for the process to end.
	 * @return its exit status
	 */
	public int kill() {
		this.process.destroyForcibly();
		return awaitExit();
	}

	private int awaitExit() {
		try {
			if (!this.process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
				throw new IllegalStateException(
						this.name + " did not end within " + STOP_SECONDS + " s; see " + this.log);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Kill it if it still runs. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
