package io.eventlistener.autoconfigure;

import java.util.List;
import java.util.Set;

import io.eventlistener.EventPublisher;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.CompanyObservers;
import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.OwnConsumers;
import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.RecordingConsumers;
import io.eventlistener.it.Company;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the auto-configuration does once started, against the local RabbitMQ and
 * PostgreSQL in a namespace of their own: the listener runs, the application's own
 * consumers get the observer queues, and the broker's channel limit is checked. The
 * beans, back-offs and fail-fast checks that need no services are in
 * {@link EventListenerAutoConfigurationTests}.
 */
class EventListenerAutoConfigurationIntegrationTests {

	private static TestNamespace namespace;

	private ApplicationContextRunner runner;

	@BeforeAll
	static void createNamespace() {
		namespace = TestNamespace.create(Company.DDL);
	}

	@AfterAll
	static void dropNamespace() {
		namespace.close();
	}

	@BeforeEach
	void runner() {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
					EventListenerAutoConfiguration.class))
			.withPropertyValues(namespace.propertyValues())
			.withPropertyValues("spring.rabbitmq.publisher-confirm-type=correlated");
	}

	@Test
	void startsTheListenerWithTheContext() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			assertThat(context).hasSingleBean(EventPublisher.class).doesNotHaveBean(MultiplexedConsumers.class);
			assertThat(context.getBean(EventListenerAssembly.class).consumers())
				.isInstanceOf(MultiplexedConsumers.class);
			assertThat(context.getBean(QueueNames.class).prefix()).isEqualTo(namespace.queuePrefix());
			assertThat(context.getBean(EventListenerLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void usesTheApplicationsOwnObserverConsumers() {
		this.runner.withUserConfiguration(CompanyObservers.class, OwnConsumers.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(MultiplexedConsumers.class);
			assertThat(context.getBean(EventListenerAssembly.class).consumers())
				.isSameAs(context.getBean(RecordingConsumers.class));
			assertThat(context.getBean(EventListenerLifecycle.class).isRunning()).isTrue();
			ObserverType<?> company = context.getBean(ObserverTypes.class).find("Company").orElseThrow();
			context.getBean(ObserverRegistry.class)
				.register(new ObserverDefinition(company, 99L, new Company("own", true, List.of("own.#")), null,
						Set.of("own.#")));
			assertThat(context.getBean(RecordingConsumers.class).consumed)
				.containsExactly(namespace.queuePrefix() + ".company.99");
		});
	}

	@Test
	void failsWhenChannelsPerConnectionExceedTheChannelMax() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.consumer.channels-per-connection=2040")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("the connection allows only 2047 channels")
				.hasMessageContaining("lower event-listener.consumer.channels-per-connection to at most 2031"));
	}

}
