package io.eventlistener.testsupport;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fault cost in log lines: the ERROR lines and the stack-trace lines (an
 * {@code at ...} frame or a {@code Caused by:} line) of an application's output, beside
 * the most the case allows. A known outage should be a few WARN lines, not a flood of
 * stack traces an operator has to scroll through.
 *
 * @param errorLines lines logged at ERROR
 * @param stackTraceLines lines of stack traces
 * @param maxErrorLines the most ERROR lines allowed
 * @param maxStackTraceLines the most stack-trace lines allowed
 */
public record LogNoise(int errorLines, int stackTraceLines, int maxErrorLines, int maxStackTraceLines) {

	/** Spring Boot's console line: the time, then the level. */
	private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR\\s.*");

	private static final Pattern STACK_TRACE_LINE = Pattern.compile("^\\s+at\\s.*|^\\s*Caused by:.*");

	/**
	 * Count the noise in some log output.
	 * @param output the output, as captured
	 * @param maxErrorLines the most ERROR lines the case allows
	 * @param maxStackTraceLines the most stack-trace lines the case allows
	 * @return the counts and their bounds
	 */
	public static LogNoise count(String output, int maxErrorLines, int maxStackTraceLines) {
		int errors = 0;
		int stackTrace = 0;
		for (String line : output.split("\\R")) {
			if (ERROR_LINE.matcher(line).matches()) {
				errors++;
			}
			else if (STACK_TRACE_LINE.matcher(line).matches()) {
				stackTrace++;
			}
		}
		return new LogNoise(errors, stackTrace, maxErrorLines, maxStackTraceLines);
	}

	/**
	 * Assert that neither count exceeds its bound.
	 */
	public void assertWithinBounds() {
		assertThat(this.errorLines).as("ERROR lines in the log, %s", this).isLessThanOrEqualTo(this.maxErrorLines);
		assertThat(this.stackTraceLines).as("stack-trace lines in the log, %s", this)
			.isLessThanOrEqualTo(this.maxStackTraceLines);
	}

	@Override
	public String toString() {
		return "ERROR lines " + this.errorLines + " (at most " + this.maxErrorLines + ") | stack-trace lines "
				+ this.stackTraceLines + " (at most " + this.maxStackTraceLines + ")";
	}

}
