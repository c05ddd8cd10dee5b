package io.eventlistener.autoconfigure;

import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Spring Boot's AMQP, health and actuator modules are optional dependencies: with one of
 * them missing, the auto-configurations that need it back off instead of failing on a
 * missing class, even when every bean they wait for is there. Broker-free: no context
 * here connects to anything.
 */
class OptionalModulesBackOffTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventOutboxAutoConfiguration.class,
				EventPublisherAutoConfiguration.class, EventListenerAutoConfiguration.class,
				ModelWatcherAutoConfiguration.class, EventListenerMetricsAutoConfiguration.class,
				EventListenerHealthContributorAutoConfiguration.class, EventListenerEndpointAutoConfiguration.class));

	@Test
	void listenerBacksOffWithoutBootsAmqpModule() {
		this.runner.withUserConfiguration(ListenerInfrastructure.class)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.amqp"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventListenerLifecycle.class));
	}

	@Test
	void endpointBacksOffWithoutTheActuator() {
		this.runner.withUserConfiguration(RunningListener.class)
			.withPropertyValues("management.endpoints.web.exposure.include=eventlistener")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventListenerEndpoint.class));
	}

	@Test
	void healthIndicatorBacksOffWithoutTheHealthModule() {
		this.runner.withUserConfiguration(RunningListener.class)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventListenerHealthIndicator.class));
	}

	@Test
	void healthIndicatorIsThereWithTheHealthModule() {
		this.runner.withUserConfiguration(RunningListener.class)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EventListenerHealthIndicator.class));
	}

	/**
	 * The beans the listener's auto-configuration waits for, as a user might define them
	 * without Spring Boot's own auto-configuration.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ListenerInfrastructure {

		@Bean
		ConnectionFactory connectionFactory() {
			return mock(ConnectionFactory.class);
		}

		@Bean
		AmqpAdmin amqpAdmin() {
			return mock(AmqpAdmin.class);
		}

		@Bean
		EntityManagerFactory entityManagerFactory() {
			return mock(EntityManagerFactory.class);
		}

		@Bean
		PlatformTransactionManager transactionManager() {
			return mock(PlatformTransactionManager.class);
		}

		@Bean
		EventCodec eventCodec() {
			return new EventCodec();
		}

	}

	/**
	 * The listener the health indicator and the endpoint report on.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RunningListener {

		@Bean
		EventListenerAssembly eventListenerAssembly() {
			EventListenerAssembly listener = mock(EventListenerAssembly.class);
			given(listener.lifecycle()).willReturn(mock(EventListenerLifecycle.class));
			given(listener.registry()).willReturn(mock(ObserverRegistry.class));
			given(listener.types()).willReturn(mock(ObserverTypes.class));
			given(listener.queueNames()).willReturn(new QueueNames("billing"));
			return listener;
		}

	}

}
