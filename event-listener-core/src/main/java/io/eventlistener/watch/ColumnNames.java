package io.eventlistener.watch;

import java.util.Optional;

/**
 * The database column behind a basic persistent attribute, as the JPA provider maps it
 * (after {@code @Column(name)} and the physical naming strategy): model-watcher messages
 * key their attributes by it, as isimud's do.
 */
@FunctionalInterface
public interface ColumnNames {

	/**
	 * The column of an attribute.
	 * @param entityClass the mapped entity class
	 * @param attribute the persistent attribute's name
	 * @return the unquoted column name, or empty when the attribute is not mapped to one
	 * column
	 */
	Optional<String> column(Class<?> entityClass, String attribute);

}
