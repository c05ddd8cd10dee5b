package io.eventlistener.registry;

/**
 * More queues per consumer connection are configured than the connection has channels
 * for: a direct container takes one channel per consumed queue, and the consumers past
 * the broker's {@code channel_max} would silently be missing.
 */
public class ChannelMaxExceededException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final int queuesPerConnection;

	private final int channelMax;

	private final int spareChannels;

	/**
	 * Create a new {@code ChannelMaxExceededException}.
	 * @param queuesPerConnection the configured queues per connection
	 * @param channelMax the channels the connection allows
	 * @param spareChannels the channels kept free for other uses
	 */
	public ChannelMaxExceededException(int queuesPerConnection, int channelMax, int spareChannels) {
		super("event-listener.consumer.queues-per-connection is " + queuesPerConnection
				+ " but the connection allows only " + channelMax + " channels (one per consumed queue, "
				+ spareChannels + " kept spare): lower queues-per-connection to at most " + (channelMax - spareChannels)
				+ " or raise the broker's channel_max");
		this.queuesPerConnection = queuesPerConnection;
		this.channelMax = channelMax;
		this.spareChannels = spareChannels;
	}

	/** The configured queues per consumer connection. */
	public int getQueuesPerConnection() {
		return this.queuesPerConnection;
	}

	/** The channels the broker allows per connection. */
	public int getChannelMax() {
		return this.channelMax;
	}

	/** The most queues per connection that fit. */
	public int getMaxQueuesPerConnection() {
		return this.channelMax - this.spareChannels;
	}

}
