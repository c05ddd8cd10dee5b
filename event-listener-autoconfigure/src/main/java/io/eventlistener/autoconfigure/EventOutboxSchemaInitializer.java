package io.eventlistener.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;

/**
 * Creates the outbox table (or, built with the inbox's settings, the inbox table) with
 * the starter's script for the application's database ({@code postgresql}, {@code mysql}
 * for MySQL and MariaDB, {@code h2}) through Spring Boot's own script initializer, as
 * Boot does for Spring Batch or Spring Integration.
 * <p>
 * Unlike those it is not itself the initializer bean, which would run while beans are
 * created: the outbox relay runs it when the listener starts, after the database gate has
 * waited for a database that is down at start-up, and the inbox before it first records a
 * delivery. Define a bean of this type to replace the outbox's.
 */
public class EventOutboxSchemaInitializer {

	private final DataSource dataSource;

	private final DatabaseInitializationProperties properties;

	/**
	 * Create a new {@code EventOutboxSchemaInitializer}.
	 * @param dataSource the application's data source
	 * @param properties the schema settings
	 */
	public EventOutboxSchemaInitializer(DataSource dataSource, EventOutboxSchemaProperties properties) {
		this(dataSource, (DatabaseInitializationProperties) properties);
	}

	/**
	 * Create an initializer for another of the starter's tables.
	 * @param dataSource the application's data source
	 * @param properties the table's schema settings, such as {@link EventInboxProperties}
	 */
	EventOutboxSchemaInitializer(DataSource dataSource, DatabaseInitializationProperties properties) {
		this.dataSource = dataSource;
		this.properties = properties;
	}

	/**
	 * Run the schema script unless the settings say not to.
	 * @return whether a script ran
	 */
	public boolean initialize() {
		return new PropertiesBasedDataSourceScriptDatabaseInitializer<>(this.dataSource, this.properties,
				Map.of(DatabaseDriver.MARIADB, "mysql"))
			.initializeDatabase();
	}

}
