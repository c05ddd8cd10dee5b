package io.eventlistener.lifecycle;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ExceptionHandler;
import com.rabbitmq.client.TopologyRecoveryException;
import io.eventlistener.logging.KnownOutages;
import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.LogFactory;

/**
 * The RabbitMQ client's exception handler on the starter's own connections: a connection
 * lost to a known outage (a missed heartbeat, a reset, a refused or timed-out connect) is
 * one warning line, rate-limited, without the stack trace the client's default handler
 * logs at ERROR (a frozen network gave one per connection and heartbeat); the Spring AMQP
 * connection factory reconnects. Everything else goes to the handler the application's
 * client factory has, unchanged.
 */
public final class ConnectionOutageExceptionHandler implements ExceptionHandler {

	private final ExceptionHandler delegate;

	private final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(ConnectionOutageExceptionHandler.class));

	/**
	 * Create a new {@code ConnectionOutageExceptionHandler}.
	 * @param delegate the handler for what is not an outage
	 */
	public ConnectionOutageExceptionHandler(ExceptionHandler delegate) {
		this.delegate = delegate;
	}

	@Override
	public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
		if (KnownOutages.isOutage(exception)) {
			this.log.warn(() -> "Connection " + name(connection) + " to RabbitMQ lost: "
					+ KnownOutages.describe(exception) + "; it is made again when next needed");
		}
		else {
			this.delegate.handleUnexpectedConnectionDriverException(connection, exception);
		}
	}

	@Override
	public void handleConnectionRecoveryException(Connection connection, Throwable exception) {
		if (KnownOutages.isOutage(exception)) {
			this.log.warn(() -> "Connection " + name(connection) + " to RabbitMQ not recovered yet: "
					+ KnownOutages.describe(exception));
		}
		else {
			this.delegate.handleConnectionRecoveryException(connection, exception);
		}
	}

	@Override
	public void handleReturnListenerException(Channel channel, Throwable exception) {
		this.delegate.handleReturnListenerException(channel, exception);
	}

	@Override
	public void handleConfirmListenerException(Channel channel, Throwable exception) {
		this.delegate.handleConfirmListenerException(channel, exception);
	}

	@Override
	public void handleBlockedListenerException(Connection connection, Throwable exception) {
		this.delegate.handleBlockedListenerException(connection, exception);
	}

	@Override
	public void handleConsumerException(Channel channel, Throwable exception, Consumer consumer, String consumerTag,
			String methodName) {
		this.delegate.handleConsumerException(channel, exception, consumer, consumerTag, methodName);
	}

	@Override
	public void handleChannelRecoveryException(Channel channel, Throwable exception) {
		this.delegate.handleChannelRecoveryException(channel, exception);
	}

	@Override
	public void handleTopologyRecoveryException(Connection connection, Channel channel,
			TopologyRecoveryException exception) {
		this.delegate.handleTopologyRecoveryException(connection, channel, exception);
	}

	private static String name(Connection connection) {
		String name = connection.getClientProvidedName();
		return LogSanitizer.sanitize(
				((name != null) ? name + " " : "") + "(" + connection.getAddress() + ":" + connection.getPort() + ")");
	}

}
