package io.eventlistener.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the application under test and a real service, so a test can cut
 * exactly its own connections (as a network failure or a service outage looks to the
 * client) without disturbing anything else on the machine. While paused it refuses new
 * connections and has closed the existing ones; while frozen it keeps every socket open
 * and forwards nothing, in either direction (a network that silently drops traffic).
 */
public final class TcpProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket server;

	private volatile boolean frozen;

	public TcpProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
		accept(this.server);
	}

	public int port() {
		return this.port;
	}

	/**
	 * Close every connection that passes through now; new ones are still accepted.
	 */
	public void disconnectAll() {
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/**
	 * Refuse new connections and close the existing ones: the service looks down.
	 */
	public synchronized void pause() {
		closeQuietly(this.server);
		disconnectAll();
	}

	/**
	 * Accept connections again on the same port.
	 */
	public synchronized void resume() {
		if (this.server.isClosed()) {
			this.server = listen(this.port);
			accept(this.server);
		}
	}

	/**
	 * Stop forwarding bytes, keeping every socket open: nothing reaches either side and
	 * no side learns of it, until {@link #thaw()} (or a heartbeat timeout).
	 */
	public void freeze() {
		this.frozen = true;
	}

	/**
	 * Forward again what was held and what comes next.
	 */
	public synchronized void thaw() {
		this.frozen = false;
		notifyAll();
	}

	@Override
	public void close() {
		thaw();
		pause();
	}

	private synchronized void awaitThawed() throws InterruptedException {
		while (this.frozen) {
			wait();
		}
	}

	private static ServerSocket listen(int port) {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress("127.0.0.1", port));
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot listen on port " + port, ex);
		}
	}

	private void accept(ServerSocket server) {
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					if (!admit(server, client)) {
						continue;
					}
					Socket upstream = new Socket(this.targetHost, this.targetPort);
					this.sockets.add(upstream);
					pump(client, upstream);
					pump(upstream, client);
				}
				catch (IOException ex) {
					// closed by pause(), or the target refused: the client sees a dropped
					// connection
				}
			}
		}, "tcp-proxy-" + this.targetPort + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Keep an accepted connection only if the server is still open. Closing a server
	 * socket does not end an {@code accept()} already blocked on it at once: the kernel
	 * may still hand it a connection that arrived after {@link #pause()}, which would
	 * then pass through a proxy that looks down.
	 */
	private synchronized boolean admit(ServerSocket server, Socket client) {
		if (server.isClosed()) {
			closeQuietly(client);
			return false;
		}
		this.sockets.add(client);
		return true;
	}

	private void pump(Socket from, Socket to) {
		Thread pump = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					awaitThawed();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// connection closed on one side
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-" + this.targetPort + "-pump");
		pump.setDaemon(true);
		pump.start();
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
