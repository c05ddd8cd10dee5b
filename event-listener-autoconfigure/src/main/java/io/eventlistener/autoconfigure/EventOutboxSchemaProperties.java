package io.eventlistener.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * How the outbox table ({@code event_listener_outbox}) is created, under
 * {@code event-listener.outbox}: the usual {@code initialize-schema}
 * ({@code always | embedded | never}), {@code schema} (the script's location) and
 * {@code platform} of Spring Boot's own schema initializers. Unlike those, the default
 * mode is {@code always}: the table is the starter's own, its scripts only create it when
 * it is missing, and publishing inside a transaction needs it.
 */
@ConfigurationProperties("event-listener.outbox")
public class EventOutboxSchemaProperties extends DatabaseInitializationProperties {

	/** The schema scripts shipped with the starter, one per platform. */
	public static final String DEFAULT_SCHEMA_LOCATION = "classpath:io/eventlistener/outbox/schema-@@platform@@.sql";

	public EventOutboxSchemaProperties() {
		setInitializeSchema(DatabaseInitializationMode.ALWAYS);
	}

	@Override
	public String getDefaultSchemaLocation() {
		return DEFAULT_SCHEMA_LOCATION;
	}

}
