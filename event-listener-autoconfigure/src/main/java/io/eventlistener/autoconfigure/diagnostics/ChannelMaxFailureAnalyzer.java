package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.registry.ChannelMaxExceededException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * {@code event-listener.consumer.queues-per-connection} above the connection's
 * {@code channel_max}.
 */
class ChannelMaxFailureAnalyzer extends AbstractFailureAnalyzer<ChannelMaxExceededException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ChannelMaxExceededException cause) {
		return new FailureAnalysis("event-listener.consumer.queues-per-connection is " + cause.getQueuesPerConnection()
				+ ", but the broker connection allows only " + cause.getChannelMax()
				+ " channels, and each consumed observer queue takes one: the consumers past the limit would be "
				+ "missing.",
				"Set event-listener.consumer.queues-per-connection to at most " + cause.getMaxQueuesPerConnection()
						+ ", or raise the channel limit: channel_max in rabbitmq.conf on the broker, and "
						+ "spring.rabbitmq.requested-channel-max (default 2047) in this application.",
				cause);
	}

}
