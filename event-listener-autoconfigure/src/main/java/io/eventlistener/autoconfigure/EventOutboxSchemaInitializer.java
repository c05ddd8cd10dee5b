package io.eventlistener.autoconfigure;

import javax.sql.DataSource;

/**
 * Creates the outbox table ({@link StarterSchemaInitializer}); the outbox relay runs it
 * when the listener starts. Define a bean of this type to replace it.
 */
public class EventOutboxSchemaInitializer extends StarterSchemaInitializer {

	/**
	 * Create a new {@code EventOutboxSchemaInitializer}.
	 * @param dataSource the application's data source
	 * @param properties the schema settings
	 */
	public EventOutboxSchemaInitializer(DataSource dataSource, EventOutboxSchemaProperties properties) {
		super(dataSource, properties);
	}

}
