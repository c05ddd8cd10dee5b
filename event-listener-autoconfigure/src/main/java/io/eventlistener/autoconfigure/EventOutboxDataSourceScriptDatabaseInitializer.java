package io.eventlistener.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;

/**
 * Creates the outbox table with the starter's script for the application's database
 * ({@code postgresql}, {@code mysql} for MySQL and MariaDB, {@code h2}), as Spring Boot's
 * initializers for Spring Batch or Spring Integration do. Define a bean of this type to
 * replace it.
 */
public class EventOutboxDataSourceScriptDatabaseInitializer
		extends PropertiesBasedDataSourceScriptDatabaseInitializer<EventOutboxSchemaProperties> {

	/**
	 * @param dataSource the application's data source
	 * @param properties the schema settings
	 */
	public EventOutboxDataSourceScriptDatabaseInitializer(DataSource dataSource,
			EventOutboxSchemaProperties properties) {
		super(dataSource, properties, Map.of(DatabaseDriver.MARIADB, "mysql"));
	}

}
