package io.eventlistener.autoconfigure;

import java.util.Set;

import io.eventlistener.lifecycle.DatabaseStartupCheck;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Tells Spring Boot that the {@link DatabaseStartupCheck} comes before everything that
 * uses the database at start-up (the JPA {@code EntityManagerFactory},
 * {@code JdbcTemplate}, schema scripts), as it does for Flyway or Liquibase, and before
 * those initializers too.
 */
class DatabaseStartupCheckDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(DatabaseStartupCheck.class);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
