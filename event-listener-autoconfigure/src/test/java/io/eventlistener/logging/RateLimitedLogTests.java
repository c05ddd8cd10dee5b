package io.eventlistener.logging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.eventlistener.testsupport.MutableClock;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

	private final RecordingLog log = new RecordingLog();

	private final RateLimitedLog limited = new RateLimitedLog(this.log, 3, Duration.ofMinutes(1), this.clock);

	@Test
	void logsTheFirstLinesOfAnIntervalInFull() {
		for (int n = 1; n <= 3; n++) {
			int line = n;
			this.limited.warn(() -> "bad " + line);
		}

		assertThat(this.log.lines).containsExactly("WARN bad 1", "WARN bad 2", "WARN bad 3");
	}

	@Test
	void countsTheRestAndSummarisesThemOnceTheIntervalIsOver() {
		for (int n = 1; n <= 5000; n++) {
			int line = n;
			this.limited.warn(() -> "bad " + line);
		}
		assertThat(this.log.lines).hasSize(3);

		this.clock.advance(Duration.ofMinutes(1));
		this.limited.warn(() -> "bad again");

		assertThat(this.log.lines).hasSize(5);
		assertThat(this.log.lines.get(3)).isEqualTo("WARN 4997 more like this in PT1M not logged; the last: bad 5000");
		assertThat(this.log.lines.get(4)).isEqualTo("WARN bad again");
	}

	@Test
	void oneSummaryLinePerIntervalOfAFlood() {
		for (int minute = 0; minute < 10; minute++) {
			for (int n = 0; n < 100; n++) {
				this.limited.warn(() -> "flood");
			}
			this.clock.advance(Duration.ofMinutes(1));
		}

		// per minute: 3 in full, plus the summary of the minute before
		assertThat(this.log.lines).hasSize(10 * 3 + 9);
		assertThat(this.log.lines).filteredOn((line) -> line.contains("97 more like this")).hasSize(9);
	}

	@Test
	void aFloodThatStoppedIsSummarisedOnceItsIntervalHasEnded() {
		for (int n = 1; n <= 5000; n++) {
			int line = n;
			this.limited.warn(() -> "bad " + line);
		}
		RateLimitedLog.flushEndedIntervals();
		assertThat(this.log.lines).as("before the interval ended").hasSize(3);

		this.clock.advance(Duration.ofMinutes(1));
		RateLimitedLog.flushEndedIntervals();
		RateLimitedLog.flushEndedIntervals();

		assertThat(this.log.lines).hasSize(4)
			.last()
			.isEqualTo("WARN 4997 more like this in PT1M not logged; the last: bad 5000");
	}

	@Test
	void flushWritesTheSummaryAtOnce() {
		for (int n = 0; n < 4; n++) {
			this.limited.info(() -> "requeued");
		}

		this.limited.flush();
		this.limited.flush();

		assertThat(this.log.lines).containsExactly("INFO requeued", "INFO requeued", "INFO requeued",
				"INFO 1 more like this in PT1M not logged; the last: requeued");
	}

	@Test
	void buildsNoMessageWhenTheLevelIsOff() {
		this.log.enabled = false;

		this.limited.warn(() -> {
			throw new AssertionError("built a message nobody logs");
		});

		assertThat(this.log.lines).isEmpty();
	}

	static final class RecordingLog implements Log {

		private final List<String> lines = new ArrayList<>();

		private boolean enabled = true;

		@Override
		public boolean isInfoEnabled() {
			return this.enabled;
		}

		@Override
		public boolean isWarnEnabled() {
			return this.enabled;
		}

		@Override
		public void info(Object message) {
			this.lines.add("INFO " + message);
		}

		@Override
		public void warn(Object message) {
			this.lines.add("WARN " + message);
		}

		@Override
		public void info(Object message, Throwable t) {
			throw new AssertionError("no exception expected");
		}

		@Override
		public void warn(Object message, Throwable t) {
			throw new AssertionError("no exception expected");
		}

		@Override
		public boolean isDebugEnabled() {
			return false;
		}

		@Override
		public boolean isErrorEnabled() {
			return false;
		}

		@Override
		public boolean isFatalEnabled() {
			return false;
		}

		@Override
		public boolean isTraceEnabled() {
			return false;
		}

		@Override
		public void debug(Object message) {
		}

		@Override
		public void debug(Object message, Throwable t) {
		}

		@Override
		public void error(Object message) {
		}

		@Override
		public void error(Object message, Throwable t) {
		}

		@Override
		public void fatal(Object message) {
		}

		@Override
		public void fatal(Object message, Throwable t) {
		}

		@Override
		public void trace(Object message) {
		}

		@Override
		public void trace(Object message, Throwable t) {
		}

	}

}
