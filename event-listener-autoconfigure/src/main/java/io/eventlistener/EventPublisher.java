package io.eventlistener;

/**
 * Publishes {@link Event events} to the events exchange in isimud's wire format.
 */
@FunctionalInterface
public interface EventPublisher {

	/**
	 * Publish the event to the configured events exchange with its
	 * {@link Event#routingKey() routing key}, persistent. Inside a database transaction
	 * it is stored in the outbox with the transaction and sent after commit, retried
	 * until the broker confirms it; outside one this method waits for the broker's
	 * confirm.
	 * @param event the event
	 * @throws EventPublishException outside a transaction, if the broker did not confirm
	 * the event in time or refused it
	 */
	void publish(Event event);

}
