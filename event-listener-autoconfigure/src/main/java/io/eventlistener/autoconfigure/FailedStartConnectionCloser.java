package io.eventlistener.autoconfigure;

import java.util.List;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Lets a failed start end the JVM at once. Spring AMQP's {@code CachingConnectionFactory}
 * closes publisher-confirm channels on an executor of non-daemon threads named after the
 * bean ({@code rabbitConnectionFactory1}, …, idle for 60 s before they end), and shuts it
 * down only once it has seen a {@link ContextClosedEvent}, which a context whose refresh
 * failed never publishes. Destroyed before the connection factory it depends on, this
 * tells the factory that the context is closing, so the factory's own destroy shuts the
 * executor down, whether the context closes normally or its start failed.
 */
final class FailedStartConnectionCloser implements DisposableBean {

	private final ApplicationContext context;

	private final List<ConnectionFactory> connectionFactories;

	FailedStartConnectionCloser(ApplicationContext context, ConnectionFactory... connectionFactories) {
		this.context = context;
		this.connectionFactories = List.of(connectionFactories);
	}

	@Override
	public void destroy() {
		for (ConnectionFactory connectionFactory : this.connectionFactories) {
			if (connectionFactory instanceof AbstractConnectionFactory factory) {
				factory.onApplicationEvent(new ContextClosedEvent(this.context));
			}
		}
	}

}
