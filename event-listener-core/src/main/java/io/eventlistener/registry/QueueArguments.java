package io.eventlistener.registry;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The type and arguments durable queues (observer, application and dead-letter queues)
 * are declared with. The broker compares them with those of a queue that already exists
 * and refuses a declaration that disagrees ({@link QueueArgumentsMismatchException}): it
 * never converts a queue in place, so changing them for existing queues means deleting
 * those queues.
 *
 * @param type the queue type
 * @param deliveryLimit for quorum queues, how often the broker delivers a message before
 * it dead-letters it ({@code x-delivery-limit}), bounding a poison message that crashes
 * its consumer; {@code null} for no limit
 * @param initialGroupSize for quorum queues, on how many cluster nodes each queue is
 * replicated ({@code x-quorum-initial-group-size}); {@code null} for every node
 * @param deadLetterExchange for quorum queues, where the broker dead-letters a message
 * over the delivery limit or rejected ({@code x-dead-letter-exchange}); {@code null} to
 * drop it
 */
public record QueueArguments(QueueType type, @Nullable Integer deliveryLimit, @Nullable Integer initialGroupSize,
		@Nullable String deadLetterExchange) {

	/** Classic queues without arguments, the default. */
	public static final QueueArguments CLASSIC = new QueueArguments(QueueType.CLASSIC, null, null, null);

	public QueueArguments {
		if (type == QueueType.CLASSIC && (deliveryLimit != null || initialGroupSize != null)) {
			throw new IllegalArgumentException(
					"delivery-limit and initial-group-size apply to quorum queues only: set the queue type to quorum or remove them");
		}
		if (deliveryLimit != null && deliveryLimit < 1 || initialGroupSize != null && initialGroupSize < 1) {
			throw new IllegalArgumentException("The delivery limit and the initial group size must be positive");
		}
		if (type == QueueType.CLASSIC) {
			deadLetterExchange = null;
		}
	}

	/**
	 * The same, with no dead-letter exchange: for the dead-letter queue itself.
	 * @return these arguments without {@code x-dead-letter-exchange}
	 */
	public QueueArguments withoutDeadLetterExchange() {
		return new QueueArguments(this.type, this.deliveryLimit, this.initialGroupSize, null);
	}

	/**
	 * The {@code queue.declare} arguments: none for classic queues, so that queues made
	 * by isimud or an earlier version still agree.
	 * @return the arguments, unmodifiable
	 */
	public Map<String, Object> asMap() {
		if (this.type == QueueType.CLASSIC) {
			return Map.of();
		}
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-queue-type", "quorum");
		if (this.deliveryLimit != null) {
			arguments.put("x-delivery-limit", this.deliveryLimit);
		}
		if (this.initialGroupSize != null) {
			arguments.put("x-quorum-initial-group-size", this.initialGroupSize);
		}
		if (this.deadLetterExchange != null) {
			arguments.put("x-dead-letter-exchange", this.deadLetterExchange);
		}
		return Map.copyOf(arguments);
	}

	@Override
	public String toString() {
		return this.type.name().toLowerCase() + " " + asMap();
	}

}
