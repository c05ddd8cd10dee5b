package io.eventlistener.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Logs one kind of line that can repeat without bound (a flood of bad input, a backlog
 * returned at shutdown): the first {@code burst} lines of each {@code interval} are
 * logged in full, the rest only counted; the first line after an interval that dropped
 * some is preceded by one summary line with their count and the last of them. Neither
 * Spring nor Commons Logging has this (Micrometer's {@code WarnThenDebugLogger} only
 * lowers the level after the first line).
 * <p>
 * The summary is written when the next line comes (no thread of its own); a flood that
 * stops has its count reported once its interval has ended by
 * {@link #flushEndedIntervals()}, which the starter's scheduler calls
 * ({@link SuppressedLinesReporter}), or at once by {@link #flush()}. Thread-safe; time
 * comes from the injected {@link Clock}.
 */
public final class RateLimitedLog {

	/** Lines logged in full per interval unless told otherwise. */
	public static final int DEFAULT_BURST = 5;

	/** The default interval. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

	/** Logs holding suppressed lines, until their summary is written. */
	private static final Set<RateLimitedLog> pending = ConcurrentHashMap.newKeySet();

	private final Log log;

	private final int burst;

	private final Duration interval;

	private final Clock clock;

	private @Nullable Instant windowStart;

	private int logged;

	private int suppressed;

	private @Nullable String lastSuppressed;

	private Level lastLevel = Level.WARN;

	/**
	 * A log with {@value #DEFAULT_BURST} lines a minute in full.
	 * @param log where the lines go
	 */
	public RateLimitedLog(Log log) {
		this(log, DEFAULT_BURST, DEFAULT_INTERVAL, Clock.systemUTC());
	}

	/**
	 * Create a new {@code RateLimitedLog}.
	 * @param log where the lines go
	 * @param burst lines logged in full per interval, at least 1
	 * @param interval the length of an interval
	 * @param clock tells the time
	 */
	public RateLimitedLog(Log log, int burst, Duration interval, Clock clock) {
		Assert.isTrue(burst > 0, "burst must be positive");
		Assert.isTrue(!interval.isNegative() && !interval.isZero(), "interval must be positive");
		this.log = log;
		this.burst = burst;
		this.interval = interval;
		this.clock = clock;
	}

	/**
	 * Log a warning, unless this interval's burst is used up.
	 * @param message the line, built only if it is logged
	 */
	public void warn(Supplier<String> message) {
		write(Level.WARN, message);
	}

	/**
	 * Log at INFO, unless this interval's burst is used up.
	 * @param message the line, built only if it is logged or counted
	 */
	public void info(Supplier<String> message) {
		write(Level.INFO, message);
	}

	/**
	 * Write the summary of the lines dropped so far, if any, now.
	 */
	public void flush() {
		String summary;
		Level level;
		synchronized (this) {
			summary = takeSummary();
			level = this.lastLevel;
		}
		if (summary != null) {
			level.write(this.log, summary);
		}
	}

	private void write(Level level, Supplier<String> message) {
		if (!level.isEnabled(this.log)) {
			return;
		}
		String summary = null;
		boolean inFull;
		synchronized (this) {
			Instant now = this.clock.instant();
			if (this.windowStart == null || !now.isBefore(this.windowStart.plus(this.interval))) {
				summary = takeSummary();
				this.windowStart = now;
				this.logged = 0;
			}
			inFull = this.logged < this.burst;
			if (inFull) {
				this.logged++;
			}
			else {
				pending.add(this);
				this.suppressed++;
				this.lastSuppressed = message.get();
				this.lastLevel = level;
			}
		}
		if (summary != null) {
			level.write(this.log, summary);
		}
		if (inFull) {
			level.write(this.log, message.get());
		}
	}

	/**
	 * Write the summary of every log whose interval ended with lines dropped, so that a
	 * flood that stopped is reported without waiting for its next line.
	 */
	public static void flushEndedIntervals() {
		for (RateLimitedLog log : pending) {
			log.flushIfIntervalEnded();
		}
	}

	/**
	 * Write the summary of every log holding dropped lines, now.
	 */
	public static void flushAll() {
		for (RateLimitedLog log : pending) {
			log.flush();
		}
	}

	private void flushIfIntervalEnded() {
		boolean ended;
		synchronized (this) {
			ended = this.windowStart == null || !this.clock.instant().isBefore(this.windowStart.plus(this.interval));
		}
		if (ended) {
			flush();
		}
	}

	private @Nullable String takeSummary() {
		pending.remove(this);
		if (this.suppressed == 0) {
			return null;
		}
		String summary = this.suppressed + " more like this in " + this.interval + " not logged; the last: "
				+ this.lastSuppressed;
		this.suppressed = 0;
		this.lastSuppressed = null;
		return summary;
	}

	private enum Level {

		INFO {
			@Override
			boolean isEnabled(Log log) {
				return log.isInfoEnabled();
			}

			@Override
			void write(Log log, String message) {
				log.info(message);
			}
		},

		WARN {
			@Override
			boolean isEnabled(Log log) {
				return log.isWarnEnabled();
			}

			@Override
			void write(Log log, String message) {
				log.warn(message);
			}
		};

		abstract boolean isEnabled(Log log);

		abstract void write(Log log, String message);

	}

}
