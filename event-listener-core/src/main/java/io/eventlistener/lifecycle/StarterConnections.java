package io.eventlistener.lifecycle;

import java.util.function.Consumer;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The starter's own connections, made from the application's RabbitMQ client factory so
 * that its addresses, credentials and TLS apply, with what the starter needs on top. The
 * application's {@code ConnectionFactory} and its {@code spring.rabbitmq.*} settings are
 * its own and are left as they are: the starter's connections are made by a copy of its
 * RabbitMQ client factory, whose exception handler logs a lost connection as one line
 * ({@link ConnectionOutageExceptionHandler}).
 */
public final class StarterConnections {

	private StarterConnections() {
	}

	/**
	 * The application's factory as one the starter can copy.
	 * @param application the application's connection factory
	 * @param purpose what needs a connection of its own, for the error message
	 * @param instead what to define instead, for the error message
	 * @return the factory to copy
	 * @throws IllegalStateException if it is not a Spring AMQP
	 * {@link AbstractConnectionFactory}
	 */
	public static AbstractConnectionFactory template(ConnectionFactory application, String purpose, String instead) {
		if (application instanceof AbstractConnectionFactory template) {
			return template;
		}
		throw new IllegalStateException(purpose + " opens a connection of its own, made like the application's; it "
				+ "needs a Spring AMQP AbstractConnectionFactory, not a " + application.getClass().getName() + ". "
				+ instead);
	}

	/**
	 * The connections the application publishes on: the separate publisher factory of its
	 * {@code ConnectionFactory} where it has one, else that factory itself. Request and
	 * reply go there, so that a blocked publisher never stops the consumers.
	 * @param application the application's connection factory
	 * @return the factory to publish with
	 */
	public static ConnectionFactory applicationPublishing(ConnectionFactory application) {
		ConnectionFactory publisher = application.getPublisherConnectionFactory();
		return (publisher != null) ? publisher : application;
	}

	/**
	 * A publishing connection: correlated confirms (every send waits for its confirm), no
	 * returns. Of its own, so that when a resource alarm blocks it the consumers' and the
	 * admin's connections go on.
	 * @param template the application's factory
	 * @param settings the application's connection settings (Boot's configurer)
	 * @return the factory
	 */
	public static CachingConnectionFactory publishing(AbstractConnectionFactory template,
			Consumer<CachingConnectionFactory> settings) {
		return copy(template, settings, ConfirmType.CORRELATED);
	}

	/**
	 * A consuming connection. Its channels never publish: without confirms or returns
	 * they close at once, not on the factory's non-daemon executor, which only a
	 * context-closed event (never sent to this factory) shuts down; it kept a JVM whose
	 * start failed alive for a minute.
	 * @param template the application's factory
	 * @param settings the application's connection settings (Boot's configurer)
	 * @param name the connection's name, as the broker shows it
	 * @return the factory
	 */
	public static CachingConnectionFactory consuming(AbstractConnectionFactory template,
			Consumer<CachingConnectionFactory> settings, String name) {
		CachingConnectionFactory connection = copy(template, settings, ConfirmType.NONE);
		connection.setConnectionNameStrategy((factory) -> name);
		return connection;
	}

	private static CachingConnectionFactory copy(AbstractConnectionFactory template,
			Consumer<CachingConnectionFactory> settings, ConfirmType confirms) {
		com.rabbitmq.client.ConnectionFactory client = template.getRabbitConnectionFactory().clone();
		client.setExceptionHandler(new ConnectionOutageExceptionHandler(client.getExceptionHandler()));
		CachingConnectionFactory connection = new CachingConnectionFactory(client);
		settings.accept(connection);
		connection.setPublisherConfirmType(confirms);
		connection.setPublisherReturns(false);
		return connection;
	}

}
