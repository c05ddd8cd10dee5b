package io.eventlistener;

/**
 * Publishes {@link Event events} to the events exchange in isimud's wire format.
 */
@FunctionalInterface
public interface EventPublisher {

	/**
	 * Publish the event to the configured events exchange with its
	 * {@link Event#routingKey() routing key}, persistent, and wait until the broker has
	 * confirmed it.
	 * @param event the event
	 * @throws EventPublishException if the broker did not confirm the event in time or
	 * refused it
	 */
	void publish(Event event);

}
