package io.eventlistener.lifecycle;

import java.time.Duration;

import io.eventlistener.testsupport.TestThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

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

}
