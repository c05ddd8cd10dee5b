package io.eventlistener.lifecycle;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The drivers' own words for each start-up mistake (as PostgreSQL's, MariaDB's and H2's
 * drivers report them) are told apart, and only an unreachable database is waited for.
 */
class DatabaseRefusalTests {

	@Test
	void postgresql() {
		assertThat(DatabaseRefusal.of(new SQLException("FATAL: database \"x\" does not exist", "3D000")))
			.contains(DatabaseRefusal.DATABASE_MISSING);
		assertThat(DatabaseRefusal.of(new SQLException("FATAL: role \"x\" does not exist", "28000")))
			.contains(DatabaseRefusal.USER_UNKNOWN);
		assertThat(DatabaseRefusal.of(new SQLException("FATAL: password authentication failed", "28P01")))
			.contains(DatabaseRefusal.PASSWORD_REFUSED);
		assertThat(DatabaseRefusal.of(new SQLException("Connection to localhost:1 refused", "08001")))
			.contains(DatabaseRefusal.UNREACHABLE);
	}

	@Test
	void mariaDb() {
		assertThat(DatabaseRefusal.of(new SQLException("Unknown database 'x'", "42000", 1049)))
			.contains(DatabaseRefusal.DATABASE_MISSING);
		assertThat(
				DatabaseRefusal.of(new SQLInvalidAuthorizationSpecException("Access denied for user", "28000", 1045)))
			.contains(DatabaseRefusal.ACCESS_DENIED);
	}

	@Test
	void wrappedByAPoolOrASocketFailure() {
		assertThat(DatabaseRefusal.of(new RuntimeException("pool", new SQLException("no such database", "3D000"))))
			.contains(DatabaseRefusal.DATABASE_MISSING);
		assertThat(DatabaseRefusal.of(new SQLException("I/O", new ConnectException("Connection refused"))))
			.contains(DatabaseRefusal.UNREACHABLE);
		assertThat(DatabaseRefusal.of(new SQLException("deadlock", "40P01"))).isEmpty();
	}

	@Test
	void theGateFailsAtOnceOnAMistakeWaitingCannotFix() {
		DataSource refusing = failingDataSource(new SQLException("FATAL: password authentication failed", "28P01"));
		DatabaseStartupGate gate = new DatabaseStartupGate(refusing, "jdbc:test", Duration.ofMillis(10),
				Duration.ofMillis(10), Duration.ofHours(1));
		assertThatExceptionOfType(DatabaseRefusedException.class).isThrownBy(gate::start)
			.withMessage("Could not connect to the database at jdbc:test: the password was refused "
					+ "(FATAL: password authentication failed)")
			.satisfies((ex) -> assertThat(ex.getRefusal()).isEqualTo(DatabaseRefusal.PASSWORD_REFUSED));
	}

	@Test
	void theCheckLeavesAnUnreachableDatabaseToTheGateWhenNothingNeedsItToStart() {
		DataSource unreachable = failingDataSource(new SQLException("refused", "08001"));
		new DatabaseStartupCheck(unreachable, "jdbc:test", false).afterPropertiesSet();
		assertThatExceptionOfType(DatabaseRefusedException.class)
			.isThrownBy(() -> new DatabaseStartupCheck(unreachable, "jdbc:test", true).afterPropertiesSet())
			.satisfies((ex) -> assertThat(ex.getRefusal()).isEqualTo(DatabaseRefusal.UNREACHABLE));
	}

	private static DataSource failingDataSource(SQLException failure) {
		return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
				new Class<?>[] { DataSource.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("getConnection")) {
						throw failure;
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}

}
