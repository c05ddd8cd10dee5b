package io.eventlistener.dispatch;

import java.sql.SQLTransientConnectionException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

class OutageClassifierTests {

	private final OutageClassifier defaults = OutageClassifier.defaults();

	@Test
	void resourceFailuresAnywhereInTheCauseChainAreOutages() {
		assertThat(this.defaults.isOutage(new CannotGetJdbcConnectionException("pool"))).isTrue();
		assertThat(this.defaults.isOutage(new CannotCreateTransactionException("no connection"))).isTrue();
		assertThat(this.defaults
			.isOutage(new IllegalStateException("wrapped", new SQLTransientConnectionException("pool timeout"))))
			.isTrue();
	}

	@Test
	void otherFailuresAreTheEventsOwn() {
		assertThat(this.defaults.isOutage(new DataIntegrityViolationException("duplicate key"))).isFalse();
		assertThat(this.defaults.isOutage(new IllegalArgumentException("bad event"))).isFalse();
	}

	@Test
	void anApplicationClassifierAddsItsOwnOutages() {
		OutageClassifier all = OutageClassifier
			.anyOf(List.of(this.defaults, (failure) -> failure instanceof UnsupportedOperationException));
		assertThat(all.isOutage(new UnsupportedOperationException("gateway down"))).isTrue();
		assertThat(all.isOutage(new IllegalArgumentException("bad event"))).isFalse();
	}

}
