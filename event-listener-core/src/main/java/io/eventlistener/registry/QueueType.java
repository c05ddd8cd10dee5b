package io.eventlistener.registry;

/**
 * The RabbitMQ queue type durable queues are declared as.
 */
public enum QueueType {

	/**
	 * Classic queues, declared without arguments: isimud's queues, and every broker's
	 * (the embedded Qpid broker included).
	 */
	CLASSIC,

	/**
	 * Replicated quorum queues ({@code x-queue-type=quorum}): on a RabbitMQ cluster they
	 * survive the loss of a minority of nodes. They cannot be exclusive, so watcher
	 * queues stay classic.
	 */
	QUORUM

}
