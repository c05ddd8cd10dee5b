package io.eventlistener;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;

/**
 * Thrown by a handler to reject an event it will never be able to handle: it is
 * dead-lettered at once, with this exception's message, and not retried. It does not
 * count against the error budget (the handler decided; nothing is broken) and does not
 * run the exception handlers. A Spring AMQP {@link AmqpRejectAndDontRequeueException}
 * thrown by a handler is treated the same way.
 */
public class EventRejectedException extends AmqpRejectAndDontRequeueException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new {@code EventRejectedException}.
	 * @param reason why the event is rejected (in the dead letter's
	 * {@code x-exception-message} header)
	 */
	public EventRejectedException(String reason) {
		super(reason);
	}

}
