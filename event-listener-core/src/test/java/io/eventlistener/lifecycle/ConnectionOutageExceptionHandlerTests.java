package io.eventlistener.lifecycle;

import java.net.InetAddress;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ExceptionHandler;
import com.rabbitmq.client.MissedHeartbeatException;
import org.junit.jupiter.api.Test;

import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

class ConnectionOutageExceptionHandlerTests {

	private final ExceptionHandler application = mock(ExceptionHandler.class);

	private final ConnectionOutageExceptionHandler handler = new ConnectionOutageExceptionHandler(this.application);

	private final Connection connection = mock(Connection.class);

	@Test
	void aLostConnectionIsNotPassedOnToTheClientsHandler() throws Exception {
		given(this.connection.getClientProvidedName()).willReturn("app.consumers#0");
		given(this.connection.getAddress()).willReturn(InetAddress.getLoopbackAddress());
		MissedHeartbeatException missed = new MissedHeartbeatException("Heartbeat missing with heartbeat = 2 seconds");

		this.handler.handleUnexpectedConnectionDriverException(this.connection, missed);

		then(this.application).should(never()).handleUnexpectedConnectionDriverException(this.connection, missed);
	}

	@Test
	void anythingElseIsPassedOnUnchanged() {
		IllegalStateException bug = new IllegalStateException("bug");

		this.handler.handleUnexpectedConnectionDriverException(this.connection, bug);

		then(this.application).should().handleUnexpectedConnectionDriverException(this.connection, bug);
	}

}
