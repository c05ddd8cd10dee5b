package io.eventlistener.lifecycle;

import java.time.Duration;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eventlistener.testsupport.TestThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The start-up wait for the database is bounded: a database that never answers fails the
 * start after the longest wait. The database is a PostgreSQL URL on a port nothing
 * listens on (this helper's reserved 5699), so every attempt is refused at once.
 */
class DatabaseStartupGateTests {

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // unbounded, it
																			// would wait
																			// for ever
	void waitEndsAfterTheLongestWait() {
		DriverManagerDataSource nowhere = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:5699/none", "nobody",
				"none");
		DatabaseStartupGate gate = new DatabaseStartupGate(nowhere, "nowhere", Duration.ofMillis(20),
				Duration.ofMillis(50), Duration.ofMillis(300), TestThreads.daemon("database-wait-abort"));
		assertThatExceptionOfType(DatabaseStartupTimeoutException.class).isThrownBy(gate::start)
			.withMessageContaining("Database nowhere did not answer within PT0.3S");
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void retryLinesAndTheTimeoutPrintNoPassword() {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		Logger logger = (Logger) LoggerFactory.getLogger(DatabaseStartupGate.class);
		logger.addAppender(log);
		String url = "jdbc:postgresql://127.0.0.1:5699/none?user=nobody&password=s3cret";
		DriverManagerDataSource nowhere = new DriverManagerDataSource(url);
		// long enough for a retry line on a loaded machine, where one refused attempt
		// can take longer than the other test's whole wait
		DatabaseStartupGate gate = new DatabaseStartupGate(nowhere, url, Duration.ofMillis(20), Duration.ofMillis(50),
				Duration.ofSeconds(3), TestThreads.daemon("database-wait-abort"));

		assertThatExceptionOfType(DatabaseStartupTimeoutException.class).isThrownBy(gate::start)
			.withMessageContaining("password=******")
			.withMessageNotContaining("s3cret");
		logger.detachAppender(log);
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(line)
				.startsWith("Database jdbc:postgresql://127.0.0.1:5699/none?user=nobody&password=****** is unavailable")
				.doesNotContain("s3cret"));
	}

}
