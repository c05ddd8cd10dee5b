package io.eventlistener.benchmarks;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of PostgreSQL, so the soak cuts the database for its application
 * alone (PostgreSQL itself is shared and never stopped): while cut it has closed every
 * connection through it and refuses new ones, as a database that went away looks to the
 * client. Its threads are named {@code soak-db-proxy-*}, so they can be told apart from
 * the application's when threads are counted.
 */
final class SoakProxy implements AutoCloseable {

	static final String THREAD_PREFIX = "soak-db-proxy";

	private final String targetHost;

	private final int targetPort;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket server;

	SoakProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
		accept(this.server);
	}

	int port() {
		return this.port;
	}

	/** Close every connection through the proxy and refuse new ones. */
	synchronized void cut() {
		closeQuietly(this.server);
		this.sockets.forEach(SoakProxy::closeQuietly);
		this.sockets.clear();
	}

	/** Accept connections again, on the same port. */
	synchronized void restore() throws IOException {
		if (this.server.isClosed()) {
			this.server = listen(this.port);
			accept(this.server);
		}
	}

	@Override
	public void close() {
		cut();
	}

	private static ServerSocket listen(int port) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress("127.0.0.1", port));
		return server;
	}

	private void accept(ServerSocket server) {
		daemon(() -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					Socket upstream = new Socket(this.targetHost, this.targetPort);
					this.sockets.add(client);
					this.sockets.add(upstream);
					daemon(() -> pump(client, upstream), "pump");
					daemon(() -> pump(upstream, client), "pump");
				}
				catch (IOException ex) {
					// closed by cut(): the client sees a refused or dropped connection
				}
			}
		}, "accept");
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16384];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// one side closed
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.sockets.remove(from);
			this.sockets.remove(to);
		}
	}

	private static void daemon(Runnable task, String role) {
		Thread thread = new Thread(task, THREAD_PREFIX + "-" + role);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
