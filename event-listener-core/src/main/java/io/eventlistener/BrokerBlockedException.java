package io.eventlistener;

/**
 * Thrown when an event is published while the broker blocks this application's publishing
 * connection (a RabbitMQ memory or disk alarm): the message was not sent, and publishing
 * it again once the alarm is over is safe. The message names the broker's reason.
 */
public class BrokerBlockedException extends EventPublishException {

	public BrokerBlockedException(String message) {
		super(message);
	}

}
