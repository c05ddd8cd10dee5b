package io.eventlistener.partition;

/**
 * Whether the running instances share the observer queues out
 * ({@code event-listener.consumer.partitioning}).
 */
public enum Partitioning {

	/** Every instance consumes every observer queue (competing consumers), as always. */
	NONE,

	/**
	 * Each instance consumes only the queues of its buckets, from an assignment kept in
	 * the observers' database ({@link PartitionCoordinator}).
	 */
	DYNAMIC

}
