package io.eventlistener.registry;

import org.springframework.amqp.AmqpException;

/**
 * The broker refused to declare a queue because it already exists with another type or
 * other arguments (AMQP {@code PRECONDITION_FAILED}), typically after the queue settings
 * changed across a deploy. The broker never converts a queue in place: drain and delete
 * the queue so that it is declared anew, or declare it as it was.
 */
public class QueueArgumentsMismatchException extends AmqpException {

	private static final long serialVersionUID = 1L;

	private final String queue;

	/**
	 * Create a new {@code QueueArgumentsMismatchException}.
	 * @param queue the queue's name
	 * @param arguments what this application declared it with
	 * @param cause the broker's refusal
	 */
	public QueueArgumentsMismatchException(String queue, QueueArguments arguments, Throwable cause) {
		this(queue, arguments.toString(), cause);
	}

	/**
	 * Create a new {@code QueueArgumentsMismatchException}.
	 * @param queue the queue's name
	 * @param arguments what this application declared it with, described
	 * @param cause the broker's refusal
	 */
	public QueueArgumentsMismatchException(String queue, String arguments, Throwable cause) {
		super("Queue " + queue + " exists on the broker with another type or other arguments than declared here ("
				+ arguments + "); the broker does not convert a queue in place: drain and delete it (rabbitmqctl "
				+ "delete_queue " + queue + ") so that it is declared anew, or set the queue settings (queue type, "
				+ "delivery mode) back to what it was declared with. Broker: " + brokerReason(cause), cause);
		this.queue = queue;
	}

	/**
	 * Return the queue's name.
	 * @return the queue's name
	 */
	public String queue() {
		return this.queue;
	}

	private static String brokerReason(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		String message = String.valueOf(root.getMessage());
		int reply = message.indexOf("reply-text=");
		return (reply >= 0) ? message.substring(reply + "reply-text=".length()).replaceFirst(",.*", "") : message;
	}

}
