package io.eventlistener.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Settings for a test of the configuration that needs no services: the broker address is
 * a local port where nothing listens (a connection attempt fails at once, so a test that
 * connects by mistake fails instead of reaching a shared broker), the listener does not
 * start with the context, and the database is Boot's embedded H2.
 */
public final class NoBroker {

	private NoBroker() {
	}

	/**
	 * The settings, as {@code key=value}.
	 * @return the settings
	 */
	public static String[] propertyValues() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=" + closedPort(),
				"event-listener.auto-startup=false" };
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
