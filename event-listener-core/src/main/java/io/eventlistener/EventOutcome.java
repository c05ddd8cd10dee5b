package io.eventlistener;

/**
 * What an {@link EventObserverHandler} method may return to decide the acknowledgement,
 * besides returning normally or throwing. {@link EventHandler} implementations throw
 * {@link EventRequeueException} or {@link EventRejectedException} instead, so that
 * {@code EventHandler}'s return type stays free.
 */
public enum EventOutcome {

	/**
	 * Handled: acknowledge it (the same as returning {@code void}).
	 */
	HANDLED,

	/**
	 * Not now: try it again later, as {@link EventRequeueException} does.
	 */
	REQUEUE,

	/**
	 * Never: dead-letter it at once, as {@link EventRejectedException} does.
	 */
	REJECT

}
