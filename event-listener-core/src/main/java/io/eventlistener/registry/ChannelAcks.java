package io.eventlistener.registry;

import java.io.IOException;
import java.util.TreeSet;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Acknowledges the deliveries of one channel, whose handlers run concurrently (one per
 * consumer at a time, many consumers per channel). With {@code messagesPerAck} above 1 a
 * returned delivery is remembered and acknowledged later with {@code multiple=true}, up
 * to the highest returned tag below the lowest tag whose handler has not returned, once
 * {@code messagesPerAck} are waiting or the oldest has waited {@code ackTimeout};
 * returned deliveries above an unfinished one are then acknowledged one by one. So a
 * delivery is never acknowledged before its handler returned, and an acknowledgement
 * waits at most about the timeout.
 * <p>
 * A channel that closed takes its unacknowledged deliveries back to their queues: the
 * acknowledgements that fail then are ignored.
 */
final class ChannelAcks {

	private static final Log logger = LogFactory.getLog(ChannelAcks.class);

	private final Channel channel;

	private final int messagesPerAck;

	private final long ackTimeoutNanos;

	/** Delivered tags whose handler has not returned (nor been rejected). */
	private final TreeSet<Long> unfinished = new TreeSet<>();

	/** Tags whose handler returned, not yet acknowledged. */
	private final TreeSet<Long> handled = new TreeSet<>();

	private long oldestHandled;

	/**
	 * Create a new {@code ChannelAcks}.
	 * @param channel the channel the tags belong to
	 * @param messagesPerAck acknowledge after this many returned deliveries; 1 (or less)
	 * acknowledges each at once
	 * @param ackTimeoutNanos acknowledge returned deliveries at the latest this long
	 * after the oldest returned
	 */
	ChannelAcks(Channel channel, int messagesPerAck, long ackTimeoutNanos) {
		this.channel = channel;
		this.messagesPerAck = messagesPerAck;
		this.ackTimeoutNanos = ackTimeoutNanos;
	}

	Channel channel() {
		return this.channel;
	}

	/**
	 * A delivery arrived; call on the channel's dispatch thread, before its handler can
	 * run.
	 */
	synchronized void delivered(long tag) {
		this.unfinished.add(tag);
	}

	/**
	 * The handler of a delivery returned (or its delivery was dead-lettered).
	 */
	synchronized void handled(long tag) {
		this.unfinished.remove(tag);
		if (this.messagesPerAck <= 1) {
			ack(tag, false);
			return;
		}
		if (this.handled.isEmpty()) {
			this.oldestHandled = System.nanoTime();
		}
		this.handled.add(tag);
		if (this.handled.size() >= this.messagesPerAck) {
			flush();
		}
	}

	/**
	 * Reject a delivery at once, back to its queue or not.
	 */
	synchronized void reject(long tag, boolean requeue) {
		this.unfinished.remove(tag);
		try {
			this.channel.basicReject(tag, requeue);
		}
		catch (IOException | ShutdownSignalException ex) {
			logger.debug("Could not reject delivery " + tag + " (its channel closed; it goes back to its queue)", ex);
		}
	}

	/**
	 * Acknowledge what is waiting if the oldest has waited the timeout.
	 */
	synchronized void flushIfDue(long now) {
		if (!this.handled.isEmpty() && now - this.oldestHandled >= this.ackTimeoutNanos) {
			flush();
		}
	}

	/**
	 * Acknowledge every returned delivery: the run below the lowest unfinished tag at
	 * once, those above it one by one.
	 */
	synchronized void flush() {
		if (this.handled.isEmpty()) {
			return;
		}
		Long lowestUnfinished = this.unfinished.isEmpty() ? null : this.unfinished.first();
		Long upTo = (lowestUnfinished != null) ? this.handled.lower(lowestUnfinished) : this.handled.last();
		if (upTo != null) {
			ack(upTo, true);
			this.handled.headSet(upTo, true).clear();
		}
		for (Long tag : this.handled) {
			ack(tag, false);
		}
		this.handled.clear();
	}

	/**
	 * Return how many deliveries are held: handlers not returned, or not acknowledged.
	 * @return how many deliveries are held: handlers not returned, or not acknowledged
	 */
	synchronized int outstanding() {
		return this.unfinished.size() + this.handled.size();
	}

	private void ack(long tag, boolean multiple) {
		try {
			this.channel.basicAck(tag, multiple);
		}
		catch (IOException | ShutdownSignalException ex) {
			logger.debug("Could not acknowledge delivery " + tag + " (its channel closed; it goes back to its queue)",
					ex);
		}
	}

}
