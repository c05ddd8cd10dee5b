package io.eventlistener.outbox;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The sender owns its {@link BrokerBlocking}: the connections' blocked and unblocked
 * events it gets as a bean reach it.
 */
class ConfirmedSenderBlockingTests {

	@Test
	void theSendersBlockingFollowsTheConnectionEventsItIsGiven() throws Exception {
		ConnectionFactory connectionFactory = mock(ConnectionFactory.class);
		given(connectionFactory.isPublisherConfirms()).willReturn(true);
		ConfirmedSender sender = new ConfirmedSender(new RabbitTemplate(connectionFactory), Duration.ofSeconds(1),
				new BrokerBlocking(Clock.systemUTC()), Thread::new, Thread::new);
		Connection connection = mock(Connection.class);
		given(connection.isOpen()).willReturn(true);
		try {
			sender.onApplicationEvent(new ConnectionBlockedEvent(connection, "low on memory"));
			assertThat(sender.blocking().current())
				.hasValueSatisfying((blocked) -> assertThat(blocked.reason()).isEqualTo("low on memory"));

			sender.onApplicationEvent(new ConnectionUnblockedEvent(connection));
			assertThat(sender.blocking().current()).isEmpty();
		}
		finally {
			sender.destroy();
		}
	}

}
