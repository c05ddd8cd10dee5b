package io.eventlistener.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.EventPublisher;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.dispatch.DeadLetterQueue;
import io.eventlistener.dispatch.DeliveryPipeline;
import io.eventlistener.dispatch.ObserverConsumersBuilder;
import io.eventlistener.it.Company;
import io.eventlistener.it.RecordingHandler;
import io.eventlistener.lifecycle.DatabaseStartupCheck;
import io.eventlistener.lifecycle.DatabaseStartupGate;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.NoBroker;
import io.eventlistener.tracing.OutboxTracing;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration's beans, back-offs and fail-fast checks, without services: an
 * in-memory H2 database, a broker address where nothing listens, and
 * {@code event-listener.auto-startup=false}, so nothing connects. What needs the broker
 * is in {@link EventListenerAutoConfigurationIntegrationTests}.
 */
class EventListenerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
				EventListenerAutoConfiguration.class))
		.withPropertyValues(NoBroker.propertyValues())
		.withPropertyValues("event-listener.queue-prefix=billing");

	@Test
	void configuresListenerAndPublisherWithoutStartingThem() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(EventPublisher.class)
				.hasSingleBean(ObserverRegistry.class)
				.hasSingleBean(EventListenerAssembly.class)
				.hasSingleBean(EventListenerLifecycle.class)
				.doesNotHaveBean(DeliveryPipeline.class)
				.doesNotHaveBean(ObserverConsumers.class)
				.doesNotHaveBean("eventListenerContainerFactory");
			assertThat(context.getBean(ObserverTypes.class).find("Company")).isPresent();
			assertThat(context.getBean(QueueNames.class).prefix()).isEqualTo("billing");
			assertThat(context.getBean(EventListenerLifecycle.class).isRunning()).isFalse();
			assertThat(context.getBean(ObserverRegistry.class).registrations()).isEmpty();
			// an explicit start starts it (no observer rows: nothing to declare yet)
			context.start();
			assertThat(context.getBean(EventListenerLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void consumersRunOnTheStartersThreads() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			MultiplexedConsumers consumers = ((MultiplexedConsumers) context.getBean(EventListenerAssembly.class)
				.consumers());
			assertThat(consumers).extracting("handlers")
				.isSameAs(context.getBean(EventListenerTaskConfiguration.HANDLER_EXECUTOR_BEAN_NAME));
			assertThat(consumers).extracting("timer")
				.isSameAs(context.getBean(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME));
			assertThat(consumers).extracting("setup")
				.extracting("threadNamePrefix")
				.isEqualTo("event-listener-consume-");
			assertThat(consumers).extracting("workers")
				.extracting("threadNamePrefix")
				.isEqualTo("event-listener-lost-queue-");
		});
	}

	@Test
	void usesTheApplicationsOwnObserverConsumersAndDeliveryPipeline() {
		this.runner.withUserConfiguration(CompanyObservers.class, OwnConsumers.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MultiplexedConsumers.class)
				.hasSingleBean(RecordingConsumers.class)
				.getBean(EventListenerAssembly.class)
				.extracting(EventListenerAssembly::consumers)
				.isSameAs(context.getBean(RecordingConsumers.class)));
		this.runner.withUserConfiguration(CompanyObservers.class, OwnPipeline.class)
			.run((context) -> assertThat(context.getBean(EventListenerAssembly.class).pipeline())
				.isSameAs(context.getBean(OwnPipeline.class).pipeline));
	}

	@Test
	void observesTheStartersOwnSendsAndDeliveriesWhenTheApplicationTraces() {
		this.runner.withUserConfiguration(CompanyObservers.class, Observations.class, Tracing.class).run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			assertThat(context.getBean(EventListenerAssembly.class).pipeline()).extracting("observations")
				.isSameAs(registry);
			assertThat(context.getBean(EventPublishingAssembly.class).sender()).extracting("observations")
				.isSameAs(registry);
			assertThat(context.getBean(EventListenerAssembly.class).recoverer())
				.extracting("republisher.sender.observations")
				.isSameAs(registry);
			assertThat(context.getBean(EventPublishingAssembly.class).outbox()).extracting("tracing")
				.isNotSameAs(OutboxTracing.NONE);
			assertThat(context.getBean(EventPublishingAssembly.class).sender())
				.extracting("template.observationEnabled")
				.isEqualTo(true);
		});
		this.runner.withUserConfiguration(CompanyObservers.class, Observations.class, Tracing.class)
			.withPropertyValues("event-listener.tracing.enabled=false")
			.run(EventListenerAutoConfigurationTests::assertNotObserved);
		// Micrometer Tracing on the classpath (as here) but no Tracer: nothing changes
		this.runner.withUserConfiguration(CompanyObservers.class, Observations.class)
			.run(EventListenerAutoConfigurationTests::assertNotObserved);
		// nor without Micrometer Tracing
		this.runner.withUserConfiguration(CompanyObservers.class, Observations.class)
			.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run(EventListenerAutoConfigurationTests::assertNotObserved);
	}

	private static void assertNotObserved(AssertableApplicationContext context) {
		assertThat(context.getBean(EventListenerAssembly.class).pipeline()).extracting("observations").isNull();
		assertThat(context.getBean(EventPublishingAssembly.class).sender()).extracting("observations")
			.isSameAs(ObservationRegistry.NOOP);
		assertThat(context.getBean(EventPublishingAssembly.class).outbox()).extracting("tracing")
			.isSameAs(OutboxTracing.NONE);
		assertThat(context.getBean(EventPublishingAssembly.class).sender()).extracting("template.observationEnabled")
			.isEqualTo(false);
	}

	@Test
	void observesDeliveriesOnlyWhenBootsListenerObservationIsOn() {
		this.runner.withUserConfiguration(CompanyObservers.class, Observations.class)
			.run((context) -> assertThat(context.getBean(EventListenerAssembly.class).pipeline())
				.extracting("observations")
				.isNull());
		this.runner.withUserConfiguration(CompanyObservers.class, Observations.class)
			.withPropertyValues("spring.rabbitmq.listener.direct.observation-enabled=true")
			.run((context) -> assertThat(context.getBean(EventListenerAssembly.class).pipeline())
				.extracting("observations")
				.isSameAs(context.getBean(ObservationRegistry.class)));
	}

	@Test
	void prefetchIsOursThenBootsThenTheDefault() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.run((context) -> assertThat(prefetch(context)).isEqualTo(ObserverConsumersBuilder.DEFAULT_PREFETCH));
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("spring.rabbitmq.listener.direct.prefetch=50")
			.run((context) -> assertThat(prefetch(context)).isEqualTo(50));
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("spring.rabbitmq.listener.direct.prefetch=50", "event-listener.consumer.prefetch=7")
			.run((context) -> assertThat(prefetch(context)).isEqualTo(7));
	}

	private static int prefetch(ApplicationContext context) {
		MultiplexedConsumers.Settings settings = (MultiplexedConsumers.Settings) ReflectionTestUtils
			.getField(((MultiplexedConsumers) context.getBean(EventListenerAssembly.class).consumers()), "settings");
		return settings.prefetch();
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
				assertThat(prefetch(context)).isEqualTo(7);
			});
	}

	@Test
	void queuePrefixDefaultsToTheApplicationName() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.queue-prefix=", "spring.application.name=billing-app")
			.run((context) -> assertThat(context.getBean(QueueNames.class).prefix()).isEqualTo("billing-app"));
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
		// found when the handlers are first resolved, with or without a wrapping cause
		this.runner.withUserConfiguration(CompanyEntitiesOnly.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("No EventHandler<Company> bean")
				.hasMessageContaining("declare exactly one bean implementing EventHandler<Company>");
		});
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
	void leavesTheJvmsSignalHandlingAloneByDefault() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SignalExit.class));
	}

	@Test
	void exitsZeroOnSignalWhenAsked() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.shutdown.exit-zero-on-signal=true")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SignalExit.class));
	}

	@Test
	void waitsForAndChecksTheDatabaseWhenThereIsOne() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DatabaseStartupGate.class)
				.hasSingleBean(DatabaseStartupCheck.class));
	}

	@Test
	void closingDestroysTheRecovererAndLeavesTheApplicationsConsumersToTheContext() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			EventListenerAssembly assembly = context.getBean(EventListenerAssembly.class);
			context.close();
			assertThat(assembly.recoverer()).extracting("republisher.sender.executor")
				.asInstanceOf(InstanceOfAssertFactories.type(ThreadPoolExecutor.class))
				.satisfies((executor) -> assertThat(executor.isShutdown()).isTrue());
		});
		this.runner.withUserConfiguration(CompanyObservers.class, OwnConsumers.class).run((context) -> {
			RecordingConsumers own = context.getBean(RecordingConsumers.class);
			context.close();
			assertThat(own.destroyed).as("destroyed once, by the context").hasValue(1);
		});
	}

	@Test
	void declaresTheDeadLetterQueueUnlessDeadLetteringIsOff() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DeadLetterQueue.class)
				.getBean(EventListenerAssembly.class)
				.extracting(EventListenerAssembly::deadLetterQueue)
				.isNotNull());
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.dead-letter.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(EventListenerAssembly.class)
				.extracting(EventListenerAssembly::deadLetterQueue)
				.isNull());
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

	static class RecordingConsumers implements ObserverConsumers, DisposableBean {

		final List<String> consumed = new CopyOnWriteArrayList<>();

		final AtomicInteger destroyed = new AtomicInteger();

		@Override
		public void destroy() {
			this.destroyed.incrementAndGet();
		}

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
	static class OwnPipeline {

		final DeliveryPipeline pipeline = new DeliveryPipeline((message) -> {
		}, RetryPolicy.withMaxRetries(0), (message, cause) -> {
		});

		@Bean
		DeliveryPipeline ownDeliveryPipeline() {
			return this.pipeline;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		Tracer tracer() {
			return Tracer.NOOP;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Observations {

		@Bean
		ObservationRegistry observationRegistry() {
			return ObservationRegistry.create();
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
