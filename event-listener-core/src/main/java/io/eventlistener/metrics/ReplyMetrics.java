package io.eventlistener.metrics;

import io.eventlistener.dispatch.EventReplies;
import io.eventlistener.publish.EventRequester;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The request/reply meters: replies this application's reply handlers sent or could not
 * send, and replies its requester dropped.
 */
public class ReplyMetrics implements MeterBinder {

	/**
	 * Replies the requester dropped, tagged {@code reason}: {@code late} (after the
	 * request's timeout) or {@code extra} (a second reply to an answered request).
	 */
	public static final String DROPPED_REPLIES = "event.listener.replies.dropped";

	/**
	 * Replies of this application's reply handlers, tagged {@code outcome}: {@code sent}
	 * or {@code refused} (the request's {@code reply_to} is neither RabbitMQ's direct
	 * reply-to nor an allowed queue).
	 */
	public static final String REPLIES = "event.listener.replies";

	private final EventRequester requester;

	private final @Nullable EventReplies replies;

	/**
	 * Create a new {@code ReplyMetrics}.
	 * @param requester the requester behind {@code EventPublisher#request}
	 * @param replies the reply handlers' sender, or {@code null} where nothing replies
	 */
	public ReplyMetrics(EventRequester requester, @Nullable EventReplies replies) {
		this.requester = requester;
		this.replies = replies;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.replies != null) {
			FunctionCounter.builder(REPLIES, this.replies, EventReplies::sentReplies)
				.description("Replies sent by reply handlers")
				.tag("outcome", "sent")
				.register(registry);
			FunctionCounter.builder(REPLIES, this.replies, EventReplies::refusedReplies)
				.description("Replies dropped because the request's reply_to is not allowed")
				.tag("outcome", "refused")
				.register(registry);
		}
		FunctionCounter.builder(DROPPED_REPLIES, this.requester, EventRequester::lateReplies)
			.description("Replies dropped because their request had timed out")
			.tag("reason", "late")
			.register(registry);
		FunctionCounter.builder(DROPPED_REPLIES, this.requester, EventRequester::extraReplies)
			.description("Replies dropped because another reply had answered their request")
			.tag("reason", "extra")
			.register(registry);
	}

}
