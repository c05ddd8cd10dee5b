package io.eventlistener.registry;

/**
 * More channels per consumer connection are configured ({@code channels-per-connection})
 * than the connection allows: the channels past the broker's {@code channel_max} would
 * silently be missing, and their consumers with them.
 */
public class ChannelMaxExceededException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String setting;

	private final int configured;

	private final int channelMax;

	private final int spareChannels;

	/**
	 * Create a new {@code ChannelMaxExceededException}.
	 * @param setting the property that sets the channels per connection
	 * @param configured its value
	 * @param channelMax the channels the connection allows
	 * @param spareChannels the channels kept free for other uses
	 */
	public ChannelMaxExceededException(String setting, int configured, int channelMax, int spareChannels) {
		super(setting + " is " + configured + " but the connection allows only " + channelMax + " channels ("
				+ spareChannels + " kept spare): lower " + setting + " to at most " + (channelMax - spareChannels)
				+ " or raise the broker's channel_max");
		this.setting = setting;
		this.configured = configured;
		this.channelMax = channelMax;
		this.spareChannels = spareChannels;
	}

	/** The property that sets the channels per consumer connection. */
	public String getSetting() {
		return this.setting;
	}

	/** Its configured value. */
	public int getConfigured() {
		return this.configured;
	}

	/** The channels the broker allows per connection. */
	public int getChannelMax() {
		return this.channelMax;
	}

	/** The highest value of the setting that fits. */
	public int getMaxConfigured() {
		return this.channelMax - this.spareChannels;
	}

}
