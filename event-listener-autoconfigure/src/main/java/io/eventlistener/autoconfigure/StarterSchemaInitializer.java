package io.eventlistener.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;

/**
 * Creates one of the starter's tables with its script for the application's database
 * ({@code postgresql}, {@code mysql} for MySQL and MariaDB, {@code h2}) through Spring
 * Boot's own script initializer, as Boot does for Spring Batch or Spring Integration.
 * <p>
 * Unlike those it is not itself the initializer bean, which would run while beans are
 * created: the component that needs the table runs it when the listener starts, after the
 * database gate has waited for a database that is down at start-up.
 */
public class StarterSchemaInitializer {

	private final DataSource dataSource;

	private final DatabaseInitializationProperties properties;

	/**
	 * Create a new {@code StarterSchemaInitializer}.
	 * @param dataSource the application's data source
	 * @param properties the schema settings
	 */
	public StarterSchemaInitializer(DataSource dataSource, DatabaseInitializationProperties properties) {
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
