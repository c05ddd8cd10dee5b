package io.eventlistener.autoconfigure;

import javax.sql.DataSource;

import io.eventlistener.outbox.OutboxRepository;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The outbox comes with the application's {@link DataSource}, goes with either switch off
 * or without Spring JDBC or Boot's script initializer, and gives way to the application's
 * own beans. Nothing here touches a database: the schema script runs when the listener
 * starts, not when the context does.
 */
class EventOutboxAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventOutboxAutoConfiguration.class))
		.withBean(DataSource.class, () -> mock(DataSource.class));

	@Test
	void outboxAndItsSchemaComeWithTheDataSource() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(OutboxRepository.class)
			.hasSingleBean(EventOutboxSchemaInitializer.class));
	}

	@Test
	void backsOffWithoutADataSource() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventOutboxAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(OutboxRepository.class)
				.doesNotHaveBean(EventOutboxSchemaInitializer.class));
	}

	@Test
	void backsOffWhenTheOutboxIsDisabled() {
		this.runner.withPropertyValues("event-listener.outbox.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRepository.class));
	}

	@Test
	void backsOffWhenTheListenerIsDisabled() {
		this.runner.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRepository.class));
	}

	@Test
	void backsOffWithoutSpringJdbc() {
		this.runner.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRepository.class));
	}

	@Test
	void backsOffWithoutBootsScriptInitializer() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc.init"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRepository.class));
	}

	@Test
	void usesTheApplicationsOwnRepository() {
		OutboxRepository own = new OutboxRepository(new JdbcTemplate(mock(DataSource.class)));
		this.runner.withBean(OutboxRepository.class, () -> own)
			.run((context) -> assertThat(context).getBean(OutboxRepository.class).isSameAs(own));
	}

	@Test
	void usesTheApplicationsOwnSchemaInitializer() {
		EventOutboxSchemaInitializer own = mock(EventOutboxSchemaInitializer.class);
		this.runner.withBean(EventOutboxSchemaInitializer.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventOutboxSchemaInitializer.class).isSameAs(own));
	}

}
