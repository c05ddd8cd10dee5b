package io.eventlistener.logging;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

class OutageLogTests {

	private final Log log = mock(Log.class);

	private final OutageLog outages = new OutageLog(this.log, "Relay round",
			Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));

	private final RuntimeException databaseDown = new CannotGetJdbcConnectionException(
			"Failed to obtain JDBC " + "Connection",
			new java.sql.SQLTransientConnectionException("Connection is not available"));

	@Test
	void anOutageIsOneWarningWithoutAStackTraceAndOneLineWhenItEnds() {
		for (int round = 0; round < 30; round++) {
			this.outages.failed(this.databaseDown, "trying again in PT10S");
		}
		this.outages.succeeded();
		this.outages.succeeded();

		then(this.log).should(times(1))
			.warn("Relay round failed: CannotGetJdbcConnectionException: Failed to obtain JDBC Connection (caused by "
					+ "SQLTransientConnectionException: Connection is not available); trying again in PT10S (further "
					+ "failures are not logged until it succeeds)");
		then(this.log).should(never()).warn(anyString(), any(Throwable.class));
		then(this.log).should(times(1)).info("Relay round succeeded again after 30 failure(s) over PT0S");
	}

	@Test
	void aSecondOutageIsLoggedAgain() {
		this.outages.failed(new IllegalStateException("wrapped", new ConnectException("Connection refused")), "later");
		this.outages.succeeded();
		this.outages.failed(new IllegalStateException("wrapped", new ConnectException("Connection refused")), "later");

		then(this.log).should(times(2)).warn(contains("Connection refused"));
	}

	@Test
	void anUnexpectedFailureKeepsItsStackTraceEachTime() {
		IllegalStateException bug = new IllegalStateException("bug");
		this.outages.failed(bug, "trying again");
		this.outages.failed(bug, "trying again");

		then(this.log).should(times(2)).warn(eq("Relay round failed; trying again"), eq(bug));
		then(this.log).should(never()).warn(anyString());
	}

}
