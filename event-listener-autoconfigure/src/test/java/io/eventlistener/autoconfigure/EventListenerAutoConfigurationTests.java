package io.eventlistener.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventlistener.EventPublisher;
import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.it.Company;
import io.eventlistener.it.RecordingHandler;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.ShardedContainerConsumers;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration's beans, back-offs and fail-fast checks. The contexts start for
 * real against the local RabbitMQ and PostgreSQL, in a namespace of their own.
 */
class EventListenerAutoConfigurationTests {

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

	@org.junit.jupiter.api.BeforeEach
	void runner() {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
					EventListenerAutoConfiguration.class))
			.withPropertyValues(namespace.propertyValues())
			.withPropertyValues("spring.rabbitmq.publisher-confirm-type=correlated");
	}

	@Test
	void configuresListenerAndPublisher() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			assertThat(context).hasSingleBean(EventPublisher.class)
				.hasSingleBean(ObserverRegistry.class)
				.hasSingleBean(EventDispatcher.class)
				.hasSingleBean(EventListenerLifecycle.class)
				.hasSingleBean(ShardedContainerConsumers.class)
				.hasBean("eventListenerContainerFactory");
			assertThat(context.getBean(ObserverTypes.class).find("Company")).isPresent();
			assertThat(context.getBean(QueueNames.class).prefix()).isEqualTo(namespace.queuePrefix());
			assertThat(context.getBean(EventListenerLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void multiplexedModeReplacesTheContainerShards() {
		this.runner.withConfiguration(AutoConfigurations.of(MultiplexedConsumersAutoConfiguration.class))
			.withPropertyValues("event-listener.consumer.mode=multiplexed")
			.withUserConfiguration(CompanyObservers.class)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(MultiplexedConsumers.class)
					.doesNotHaveBean(ShardedContainerConsumers.class);
				assertThat(context.getBean(EventListenerLifecycle.class).isRunning()).isTrue();
				assertThat(context.getBean(MultiplexedConsumers.class).isRunning()).isTrue();
			});
	}

	@Test
	void usesTheApplicationsOwnObserverConsumers() {
		this.runner.withUserConfiguration(CompanyObservers.class, OwnConsumers.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ShardedContainerConsumers.class);
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
	void prefetchIsOursThenBootsThenTheDefault() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.run((context) -> assertThat(containerFactory(context)).hasFieldOrPropertyWithValue("prefetchCount",
					EventListenerAutoConfiguration.DEFAULT_PREFETCH));
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("spring.rabbitmq.listener.direct.prefetch=50")
			.run((context) -> assertThat(containerFactory(context)).hasFieldOrPropertyWithValue("prefetchCount", 50));
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("spring.rabbitmq.listener.direct.prefetch=50", "event-listener.consumer.prefetch=7")
			.run((context) -> assertThat(containerFactory(context)).hasFieldOrPropertyWithValue("prefetchCount", 7));
	}

	private static DirectRabbitListenerContainerFactory containerFactory(ApplicationContext context) {
		return context.getBean("eventListenerContainerFactory", DirectRabbitListenerContainerFactory.class);
	}

	@Test
	void bindsProperties() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.consumer.prefetch=7", "event-listener.loader.page-size=3",
					"event-listener.publisher.confirm-timeout=2s")
			.run((context) -> {
				EventListenerProperties properties = context.getBean(EventListenerProperties.class);
				assertThat(properties.getConsumer().getPrefetch()).isEqualTo(7);
				assertThat(properties.getLoader().getPageSize()).isEqualTo(3);
				assertThat(properties.getPublisher().getConfirmTimeout()).hasSeconds(2);
				assertThat(context.getBean("eventListenerContainerFactory", DirectRabbitListenerContainerFactory.class))
					.hasFieldOrPropertyWithValue("prefetchCount", 7);
			});
	}

	@Test
	void queuePrefixDefaultsToTheApplicationName() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.queue-prefix=", "spring.application.name=" + namespace.id() + "-app")
			.run((context) -> assertThat(context.getBean(QueueNames.class).prefix())
				.isEqualTo(namespace.id() + "-app"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventPublisher.class)
				.doesNotHaveBean(ObserverRegistry.class)
				.doesNotHaveBean(EventListenerLifecycle.class));
	}

	@Test
	void backsOffWithoutAmqpOnTheClasspath() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventPublisher.class)
				.doesNotHaveBean(ObserverRegistry.class));
	}

	@Test
	void backsOffForTheApplicationsOwnBeans() {
		this.runner.withUserConfiguration(CompanyObservers.class, OwnPublisher.class)
			.run((context) -> assertThat(context).getBean(EventPublisher.class)
				.isSameAs(context.getBean(OwnPublisher.class).publisher));
	}

	@Test
	void failsWithoutAHandlerForAnObserverType() {
		this.runner.withUserConfiguration(CompanyEntitiesOnly.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("No EventHandler<Company> bean")
				.hasMessageContaining("declare exactly one bean implementing EventHandler<Company>"));
	}

	@Test
	void failsWithoutAQueuePrefix() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.queue-prefix=")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("set spring.application.name or event-listener.queue-prefix"));
	}

	@Test
	void failsWhenQueuesPerConnectionExceedTheChannelMax() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.consumer.queues-per-connection=2040")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("the connection allows only 2047 channels")
				.hasMessageContaining("lower queues-per-connection to at most 2031"));
	}

	@Test
	void failsWhenPublisherConfirmsAreOff() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("spring.rabbitmq.publisher-confirm-type=none")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("set spring.rabbitmq.publisher-confirm-type=correlated"));
	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = Company.class)
	static class CompanyEntitiesOnly {

	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = Company.class)
	static class CompanyObservers {

		@Bean
		RecordingHandler companyEvents() {
			return new RecordingHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConsumers {

		@Bean
		RecordingConsumers ownObserverConsumers() {
			return new RecordingConsumers();
		}

	}

	static class RecordingConsumers implements ObserverConsumers {

		final List<String> consumed = new CopyOnWriteArrayList<>();

		@Override
		public void consume(String queue) {
			this.consumed.add(queue);
		}

		@Override
		public void cancel(String queue) {
			this.consumed.remove(queue);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPublisher {

		final EventPublisher publisher = (event) -> {
		};

		@Bean
		EventPublisher ownEventPublisher() {
			return this.publisher;
		}

	}

}
