package io.eventlistener.logging;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.MissedHeartbeatException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import io.eventlistener.BrokerBlockedException;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

class KnownOutagesTests {

	@Test
	void networkBrokerAndDatabaseOutagesAreKnown() {
		assertThat(KnownOutages.isOutage(new MissedHeartbeatException("Heartbeat missing"))).isTrue();
		assertThat(KnownOutages.isOutage(new AmqpConnectException(new java.net.ConnectException("refused")))).isTrue();
		assertThat(KnownOutages.isOutage(new RuntimeException(new SocketException("Connection reset")))).isTrue();
		assertThat(KnownOutages.isOutage(new DataAccessResourceFailureException("I/O", new EOFException()))).isTrue();
		assertThat(KnownOutages.isOutage(new SQLException("refused", "08001"))).isTrue();
		assertThat(KnownOutages.isOutage(new BrokerBlockedException("low on memory"))).isTrue();
		assertThat(KnownOutages.isOutage(forced(true))).isTrue();
	}

	@Test
	void bugsAndChannelErrorsAreNot() {
		assertThat(KnownOutages.isOutage(new IllegalStateException("bug"))).isFalse();
		assertThat(KnownOutages.isOutage(new SQLException("syntax error", "42601"))).isFalse();
		assertThat(KnownOutages.isOutage(forced(false))).isFalse();
	}

	@Test
	void aDescriptionIsOneSafeLine() {
		String description = KnownOutages.describe(new AmqpConnectException(
				new java.net.ConnectException("refused by amqp://guest:secret@host\nforged line")));

		assertThat(description).isEqualTo("AmqpConnectException: java.net.ConnectException: refused by amqp://host"
				+ "\\nforged line (caused by ConnectException: refused by amqp://host\\nforged line)");
	}

	/** A connection closed by the broker (hard) or a channel error (not). */
	private static ShutdownSignalException forced(boolean hard) {
		AMQP.Connection.Close close = new AMQImpl.Connection.Close(320, "CONNECTION_FORCED", 0, 0);
		return new ShutdownSignalException(hard, false, close, null);
	}

}
