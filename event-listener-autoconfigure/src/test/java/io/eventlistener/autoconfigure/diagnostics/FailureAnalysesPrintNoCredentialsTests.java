package io.eventlistener.autoconfigure.diagnostics;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;

import io.eventlistener.lifecycle.DatabaseStartupTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure analysis names the broker and the database it could not reach, never the
 * password a URL or address carries, and escapes what it quotes.
 */
class FailureAnalysesPrintNoCredentialsTests {

	private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5699/app?user=app&password=s3cret";

	@Test
	void theUnreachableDatabaseIsNamedWithoutItsPassword() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url", JDBC_URL);
		SQLException refused = new SQLException("Connection to " + JDBC_URL + " refused", "08001",
				new ConnectException("Connection refused"));

		FailureAnalysis analysis = new DatabaseUnreachableFailureAnalyzer(environment)
			.analyze(new BeanCreationException("entityManagerFactory", refused));

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("jdbc:postgresql://127.0.0.1:5699/app?user=app&password=******")
			.doesNotContain("s3cret");
	}

	@Test
	void theUnreachableBrokerIsNamedWithoutItsUserInfo() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.rabbitmq.addresses",
				"amqps://billing:s3cret@rabbit-1:5671,amqps://billing:s3cret@rabbit-2:5671");

		FailureAnalysis analysis = new BrokerUnreachableFailureAnalyzer(environment)
			.analyze(new BeanCreationException("listener", new AmqpConnectException(new ConnectException("refused"))));

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("amqps://rabbit-1:5671,amqps://rabbit-2:5671")
			.doesNotContain("s3cret")
			.doesNotContain("billing");
	}

	@Test
	void theDatabaseWaitedForIsNamedWithoutItsPassword() {
		FailureAnalysis analysis = new DatabaseStartupTimeoutFailureAnalyzer().analyze(new BeanCreationException("gate",
				new DatabaseStartupTimeoutException(JDBC_URL, Duration.ofMinutes(5), "refused\r\nFAKE LINE")));

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).doesNotContain("s3cret").contains("refused\\r\\nFAKE LINE");
	}

}
