package io.eventlistener.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy to RabbitMQ that plays a resource alarm (memory or disk) for the
 * connections through it only, as the broker does: while the alarm is on, a connection
 * that publishes is sent {@code connection.blocked} (AMQP method 10/60 with the reason)
 * and nothing more it sends is forwarded (the broker stops reading from it); connections
 * that only consume and acknowledge go on. Ending the alarm sends
 * {@code connection.unblocked} (10/61) to the blocked connections and forwards what they
 * sent meanwhile. The shared broker's own alarm ({@code set_vm_memory_high_watermark})
 * would block every publisher on the machine.
 * <p>
 * It reads AMQP 0-9-1 frames in both directions, so the injected frames land between
 * whole frames.
 */
public final class AmqpAlarmProxy implements AutoCloseable {

	private static final int FRAME_METHOD = 1;

	private static final int FRAME_END = 0xCE;

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket server;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private volatile String alarm;

	public AmqpAlarmProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket();
			this.server.bind(new InetSocketAddress("127.0.0.1", 0));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		Thread acceptor = new Thread(this::accept, "amqp-alarm-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Raise the alarm: connections that publish from now on are blocked.
	 * @param reason the reason {@code connection.blocked} carries
	 */
	public void raiseAlarm(String reason) {
		this.alarm = reason;
	}

	/**
	 * Clear the alarm: blocked connections are unblocked and what they sent meanwhile is
	 * forwarded.
	 */
	public void clearAlarm() {
		this.alarm = null;
		this.links.forEach(Link::unblock);
	}

	/**
	 * Return how many connections are blocked now.
	 * @return how many connections are blocked now
	 */
	public int blockedConnections() {
		return (int) this.links.stream().filter((link) -> link.blocked).count();
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		this.links.forEach(Link::close);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Link link = new Link(client, new Socket(this.targetHost, this.targetPort));
				this.links.add(link);
				link.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private static byte[] method(int classId, int methodId, byte[] arguments) {
		ByteBuffer payload = ByteBuffer.allocate(4 + arguments.length);
		payload.putShort((short) classId).putShort((short) methodId).put(arguments);
		ByteBuffer frame = ByteBuffer.allocate(8 + payload.capacity());
		frame.put((byte) FRAME_METHOD).putShort((short) 0).putInt(payload.capacity()).put(payload.array());
		frame.put((byte) FRAME_END);
		return frame.array();
	}

	private static byte[] shortString(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		byte[] result = new byte[bytes.length + 1];
		result[0] = (byte) bytes.length;
		System.arraycopy(bytes, 0, result, 1, bytes.length);
		return result;
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	/**
	 * One proxied connection.
	 */
	private final class Link {

		private final Socket client;

		private final Socket upstream;

		private volatile boolean blocked;

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void start() {
			thread("to-broker", this::clientToBroker);
			thread("to-client", this::brokerToClient);
		}

		private void thread(String name, IoTask task) {
			Thread thread = new Thread(() -> {
				try {
					task.run();
				}
				catch (IOException | InterruptedException ex) {
					// connection closed on one side
				}
				finally {
					close();
				}
			}, "amqp-alarm-proxy-" + name);
			thread.setDaemon(true);
			thread.start();
		}

		private void clientToBroker() throws IOException, InterruptedException {
			DataInputStream in = new DataInputStream(this.client.getInputStream());
			OutputStream out = this.upstream.getOutputStream();
			byte[] protocolHeader = new byte[8];
			in.readFully(protocolHeader);
			out.write(protocolHeader);
			out.flush();
			while (true) {
				byte[] frame = readFrame(in);
				if (isPublish(frame) && AmqpAlarmProxy.this.alarm != null && !this.blocked) {
					this.blocked = true;
					toClient(method(10, 60, shortString(AmqpAlarmProxy.this.alarm)));
				}
				synchronized (this) {
					while (this.blocked) {
						wait();
					}
				}
				out.write(frame);
				out.flush();
			}
		}

		private void brokerToClient() throws IOException {
			DataInputStream in = new DataInputStream(this.upstream.getInputStream());
			while (true) {
				toClient(readFrame(in));
			}
		}

		private synchronized void toClient(byte[] frame) throws IOException {
			OutputStream out = this.client.getOutputStream();
			out.write(frame);
			out.flush();
		}

		synchronized void unblock() {
			if (this.blocked) {
				try {
					toClient(method(10, 61, new byte[0]));
				}
				catch (IOException ex) {
					close();
				}
				this.blocked = false;
				notifyAll();
			}
		}

		void close() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
			AmqpAlarmProxy.this.links.remove(this);
		}

		private static byte[] readFrame(DataInputStream in) throws IOException {
			byte[] header = new byte[7];
			in.readFully(header);
			int size = ByteBuffer.wrap(header, 3, 4).getInt();
			byte[] frame = new byte[7 + size + 1];
			System.arraycopy(header, 0, frame, 0, 7);
			in.readFully(frame, 7, size + 1);
			return frame;
		}

		/** basic.publish: a method frame of class 60, method 40. */
		private static boolean isPublish(byte[] frame) {
			return frame[0] == FRAME_METHOD && frame.length >= 11
					&& ByteBuffer.wrap(frame, 7, 4).getInt() == 0x003C0028;
		}

	}

	@FunctionalInterface
	private interface IoTask {

		void run() throws IOException, InterruptedException;

	}

}
