package io.eventlistener.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventlistener.it.Company;
import io.eventlistener.it.RecordingHandler;
import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's {@link ContainerCustomizer} beans for {@link DirectMessageListenerContainer}
 * reach the observer consumers' containers, after the listener's own settings. Starts
 * against the local RabbitMQ and PostgreSQL, in a namespace of its own.
 */
class ObserverContainerCustomizerIntegrationTests {

	private static final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterAll
	static void dropNamespace() {
		namespace.close();
	}

	@Test
	void appliesContainerCustomizerBeansToObserverContainers() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
					EventListenerAutoConfiguration.class))
			.withPropertyValues(namespace.propertyValues())
			.withPropertyValues("spring.rabbitmq.publisher-confirm-type=correlated")
			.withUserConfiguration(CustomizedObservers.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ObserverType<?> company = context.getBean(ObserverTypes.class).find("Company").orElseThrow();
				context.getBean(ObserverRegistry.class)
					.register(new ObserverDefinition(company, 7L, new Company("customized", true, List.of("c.#")), null,
							Set.of("c.#")));
				List<DirectMessageListenerContainer> customized = context.getBean(CustomizedObservers.class).customized;
				assertThat(customized).isNotEmpty();
				// the customizer runs after the listener's own settings, so it wins
				assertThat(customized.get(0)).hasFieldOrPropertyWithValue("shutdownTimeout", 12_345L);
				// the containers' monitor runs on the starter's scheduler
				assertThat(customized.get(0)).extracting("taskScheduler")
					.isSameAs(context.getBean(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME));
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = Company.class)
	static class CustomizedObservers {

		final List<DirectMessageListenerContainer> customized = new CopyOnWriteArrayList<>();

		@Bean
		RecordingHandler companyEvents() {
			return new RecordingHandler();
		}

		@Bean
		ContainerCustomizer<DirectMessageListenerContainer> recordingCustomizer() {
			return (container) -> {
				container.setShutdownTimeout(12_345L);
				this.customized.add(container);
			};
		}

	}

}
