package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.registry.ChannelMaxExceededException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * {@code event-listener.consumer.channels-per-connection} above the connection's
 * {@code channel_max}.
 */
class ChannelMaxFailureAnalyzer extends AbstractFailureAnalyzer<ChannelMaxExceededException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ChannelMaxExceededException cause) {
		return new FailureAnalysis(
				cause.getSetting() + " is " + cause.getConfigured() + ", but the broker connection allows only "
						+ cause.getChannelMax()
						+ " channels: the consumers on the channels past the limit would be missing.",
				"Set " + cause.getSetting() + " to at most " + cause.getMaxConfigured()
						+ ", or raise the channel limit: channel_max in rabbitmq.conf on the broker, and "
						+ "spring.rabbitmq.requested-channel-max (default 2047) in this application.",
				cause);
	}

}
