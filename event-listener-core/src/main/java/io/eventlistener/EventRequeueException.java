package io.eventlistener;

import org.springframework.amqp.ImmediateRequeueAmqpException;

/**
 * Thrown by a handler to say "not now": the event is not a failure, try it again later
 * (oslo.messaging's {@code NotificationResult.REQUEUE}). It does not count against the
 * error budget, does not run the exception handlers and uses none of the retry attempts.
 * <p>
 * The delivery is tried again in place after a growing back-off
 * ({@code event-listener.requeue.*}: 1 s, 2 s, 4 s, … up to 30 s), at most
 * {@code event-listener.requeue.max-requeues} times (5 by default); a delivery still
 * requeued after that is dead-lettered, with the last reason, so it never spins. While it
 * waits, only its own queue is held up, as during a retry back-off. A Spring AMQP
 * {@link ImmediateRequeueAmqpException} thrown by a handler is treated the same way.
 */
public class EventRequeueException extends ImmediateRequeueAmqpException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new {@code EventRequeueException}.
	 * @param reason why the event cannot be handled yet (logged, and in the dead letter
	 * should the bound be reached)
	 */
	public EventRequeueException(String reason) {
		super(reason);
	}

}
