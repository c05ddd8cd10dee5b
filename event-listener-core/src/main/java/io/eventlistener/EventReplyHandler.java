package io.eventlistener;

import org.jspecify.annotations.Nullable;

/**
 * An {@link EventHandler} that answers requests ({@link EventPublisher#request}): what
 * {@link #reply} returns is sent, as JSON, to the request's {@code reply_to} with its
 * {@code correlation_id}. An event without {@code reply_to} (every isimud event, every
 * {@link EventPublisher#publish published} one) is handled the same, and the return value
 * ignored; {@code null} sends no reply, so that another observer may answer. An exception
 * is handled as any handler's, and the requester gets an error reply (see
 * {@link EventReplyException}) instead of waiting for its timeout.
 *
 * @param <T> the observer entity type
 */
@FunctionalInterface
public interface EventReplyHandler<T extends EventObserver> extends EventHandler<T> {

	/**
	 * Handle one event for one observer, and answer it.
	 * @param observer the observer row, as loaded when it was registered (detached)
	 * @param event the event
	 * @return the reply, written as JSON by Jackson, or {@code null} for none
	 * @throws Exception to reject the delivery (and answer a request with an error)
	 */
	@Nullable Object reply(T observer, Event event) throws Exception;

	@Override
	default void handle(T observer, Event event) throws Exception {
		reply(observer, event);
	}

}
