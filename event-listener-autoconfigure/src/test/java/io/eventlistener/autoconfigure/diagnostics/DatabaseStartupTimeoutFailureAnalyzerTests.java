package io.eventlistener.autoconfigure.diagnostics;

import java.time.Duration;

import io.eventlistener.lifecycle.DatabaseStartupTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseStartupTimeoutFailureAnalyzerTests {

	@Test
	void namesTheDatabaseAndTheSettingThatBoundsTheWait() {
		FailureAnalysis analysis = new DatabaseStartupTimeoutFailureAnalyzer()
			.analyze(new BeanCreationException("gate", new DatabaseStartupTimeoutException("jdbc:postgresql://db/app",
					Duration.ofMinutes(5), "Connection refused")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("waited PT5M for database jdbc:postgresql://db/app",
				"Connection refused");
		assertThat(analysis.getAction()).contains("event-listener.startup.database-wait");
	}

}
