package io.eventlistener.watch;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The {@code schema} that model-watcher messages carry and that the watcher queue is
 * bound with ({@code schema.Type.*}). One instance serves the publisher and the listener,
 * so the two agree by construction. isimud defaults it to the database's name.
 *
 * @param name the schema name
 */
public record ModelWatcherSchema(String name) {

	public ModelWatcherSchema {
		Assert.hasText(name, "Model-watcher schema must not be empty");
		Assert.isTrue(!name.contains("*") && !name.contains("#"),
				() -> "Model-watcher schema must not contain routing-key wildcards: " + name);
	}

	/**
	 * The configured schema, or else the database's name ({@link #fromDataSource}), read
	 * once the database answers.
	 * @param configured the configured schema, if any
	 * @param dataSource the data source whose database names the schema otherwise
	 * @param awaitDatabase waits for the database, as start-up does, before it is read
	 * @return the schema
	 */
	public static ModelWatcherSchema configuredOr(@Nullable String configured, DataSource dataSource,
			Runnable awaitDatabase) {
		if (StringUtils.hasText(configured)) {
			return new ModelWatcherSchema(configured);
		}
		awaitDatabase.run();
		return fromDataSource(dataSource);
	}

	/**
	 * The name of the database a data source connects to (its JDBC catalog), as isimud's
	 * {@code database_configuration[env]['database']}.
	 * @param dataSource the data source
	 * @return the schema
	 * @throws IllegalStateException if the database has no name or cannot be reached
	 */
	public static ModelWatcherSchema fromDataSource(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			String catalog = connection.getCatalog();
			if (!StringUtils.hasText(catalog)) {
				throw new IllegalStateException("The database has no name to use as the model-watcher schema: "
						+ "set event-listener.watcher.schema");
			}
			return new ModelWatcherSchema(catalog);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the database name for the model-watcher schema ("
					+ ex.getMessage() + "): set event-listener.watcher.schema", ex);
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
