package io.eventlistener.autoconfigure;

import javax.sql.DataSource;

import io.eventlistener.outbox.OutboxRepository;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The transactional outbox table on the application's {@link DataSource}, created by the
 * starter's schema script for that database unless
 * {@code event-listener.outbox.initialize-schema=never}; the publisher stores messages
 * published inside a transaction there.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		before = EventPublisherAutoConfiguration.class)
@ConditionalOnClass(value = JdbcTemplate.class,
		name = "org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer")
@ConditionalOnBean(DataSource.class)
@ConditionalOnEventListenerEnabled
@ConditionalOnBooleanProperty(name = "event-listener.outbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EventListenerProperties.class, EventOutboxSchemaProperties.class })
public final class EventOutboxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutboxRepository eventOutboxRepository(DataSource dataSource) {
		return new OutboxRepository(new JdbcTemplate(dataSource));
	}

	@Bean
	@ConditionalOnMissingBean
	EventOutboxSchemaInitializer eventOutboxSchemaInitializer(DataSource dataSource,
			EventOutboxSchemaProperties properties) {
		return new EventOutboxSchemaInitializer(dataSource, properties);
	}

}
