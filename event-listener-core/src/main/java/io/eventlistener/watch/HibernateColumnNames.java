package io.eventlistener.watch;

import java.util.Optional;

import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.entity.EntityPersister;

/**
 * {@link ColumnNames} from Hibernate's mapping model: the physical column names, with
 * Hibernate's identifier quoting removed.
 */
public final class HibernateColumnNames implements ColumnNames {

	private final SessionFactoryImplementor sessionFactory;

	public HibernateColumnNames(EntityManagerFactory entityManagerFactory) {
		this.sessionFactory = entityManagerFactory.unwrap(SessionFactoryImplementor.class);
	}

	@Override
	public Optional<String> column(Class<?> entityClass, String attribute) {
		EntityPersister persister = this.sessionFactory.getMappingMetamodel().getEntityDescriptor(entityClass);
		String[] columns;
		try {
			columns = persister.getPropertyColumnNames(attribute);
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
		return (columns != null && columns.length == 1 && columns[0] != null) ? Optional.of(unquote(columns[0]))
				: Optional.empty();
	}

	static String unquote(String column) {
		if (column.length() > 1) {
			char first = column.charAt(0);
			char last = column.charAt(column.length() - 1);
			if ((first == '"' && last == '"') || (first == '`' && last == '`') || (first == '[' && last == ']')) {
				return column.substring(1, column.length() - 1);
			}
		}
		return column;
	}

}
