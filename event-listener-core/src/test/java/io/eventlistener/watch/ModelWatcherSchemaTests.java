package io.eventlistener.watch;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

class ModelWatcherSchemaTests {

	private final AtomicInteger waits = new AtomicInteger();

	@Test
	void aConfiguredSchemaNeedsNoDatabase() {
		DataSource dataSource = mock(DataSource.class);
		assertThat(ModelWatcherSchema.configuredOr("billing", dataSource, this.waits::incrementAndGet).name())
			.isEqualTo("billing");
		assertThat(this.waits).hasValue(0);
		verifyNoInteractions(dataSource);
	}

	@Test
	void otherwiseTheDatabasesNameOnceTheDatabaseAnswers() throws Exception {
		DataSource dataSource = mock(DataSource.class);
		Connection connection = mock(Connection.class);
		given(dataSource.getConnection()).willAnswer((invocation) -> {
			assertThat(this.waits).as("waited for the database first").hasValue(1);
			return connection;
		});
		given(connection.getCatalog()).willReturn("shop");
		assertThat(ModelWatcherSchema.configuredOr(" ", dataSource, this.waits::incrementAndGet).name())
			.isEqualTo("shop");
	}

}
