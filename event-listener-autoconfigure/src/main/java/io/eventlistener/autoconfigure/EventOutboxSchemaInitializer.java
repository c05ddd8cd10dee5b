package io.eventlistener.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;

/**
 * Creates the outbox table with the starter's script for the application's database
 * ({@code postgresql}, {@code mysql} for MySQL and MariaDB, {@code h2}) through Spring
 * Boot's own script initializer, as Boot does for Spring Batch or Spring Integration.
 * <p>
 * Unlike those it is not itself the initializer bean, which would run while beans are
 * created: the outbox relay runs it when the listener starts, after the database gate has
 * waited for a database that is down at start-up. Define a bean of this type to replace
 * it.
 */
public class EventOutboxSchemaInitializer {

	private final DataSource dataSource;

	private final EventOutboxSchemaProperties properties;

	/**
	 * Create a new {@code EventOutboxSchemaInitializer}.
	 * @param dataSource the application's data source
	 * @param properties the schema settings
	 */
	public EventOutboxSchemaInitializer(DataSource dataSource, EventOutboxSchemaProperties properties) {
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
