package io.eventlistener.autoconfigure;

import java.time.Duration;

import io.eventlistener.assembly.ModelWatcherAssembly;
import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.CompanyObservers;
import io.eventlistener.it.Company;
import io.eventlistener.testsupport.BrokerManagement.QueueState;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.watch.HibernateModelWatcher;
import io.eventlistener.watch.ModelChangePublisher;
import io.eventlistener.watch.ModelChangeReceiver;
import io.eventlistener.watch.ModelWatcherSchema;
import io.eventlistener.watch.ModelWatcherSubscription;
import io.eventlistener.watch.ObserverSynchronizer;
import io.eventlistener.watch.WatcherQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The model watcher once started, against the local RabbitMQ and PostgreSQL in a
 * namespace of their own: the watcher queue is declared, bound and consumed, and the
 * schema defaults to the database's name. The switches and fail-fast checks that need no
 * services are in {@link ModelWatcherAutoConfigurationTests}.
 */
class ModelWatcherAutoConfigurationIntegrationTests {

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
					EventListenerAutoConfiguration.class, ModelWatcherAutoConfiguration.class))
			.withPropertyValues(namespace.propertyValues())
			.withPropertyValues("spring.rabbitmq.publisher-confirm-type=correlated");
	}

	@Test
	void configuresPublishingAndTheWatcherQueue() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			assertThat(context).hasSingleBean(HibernateModelWatcher.class)
				.doesNotHaveBean(ModelChangePublisher.class)
				.hasSingleBean(ModelWatcherAssembly.class)
				.hasSingleBean(ObserverSynchronizer.class)
				.hasSingleBean(ModelWatcherSubscription.class);
			ModelWatcherSubscription subscription = context.getBean(ModelWatcherSubscription.class);
			assertThat(subscription.consumer().getMessageListener()).isInstanceOf(ModelChangeReceiver.class);
			// the database's name, as isimud's default
			assertThat(context.getBean(ModelWatcherSchema.class).name()).isEqualTo("test");
			WatcherQueue queue = subscription.queue();
			assertThat(queue.name()).startsWith(namespace.queuePrefix() + ".listener.")
				.contains("." + ProcessHandle.current().pid());
			assertThat(queue.exchange()).isEqualTo(namespace.modelsExchange());
			assertThat(queue.routingKeys()).containsExactly("test.Company.*");
			assertThat(namespace.broker().bindings(queue.name(), namespace.modelsExchange()))
				.containsExactly("test.Company.*");
			assertThat(subscription.consumer().isRunning()).as("started by the listener after the load").isTrue();
			assertThat(subscription.isRunning()).isTrue();
		});
	}

	@Test
	void theWatcherQueueIsDeclaredAgainAndConsumedOnTheNewConnectionAfterTheOldOneClosed() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			WatcherQueue queue = context.getBean(ModelWatcherSubscription.class).queue();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> namespace.broker().queue(queue.name()).map(QueueState::consumers).orElse(0) == 1);

			// an exclusive queue goes with its connection
			context.getBean(CachingConnectionFactory.class).resetConnection();

			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(namespace.broker().queue(queue.name())).map(QueueState::consumers).contains(1);
				assertThat(namespace.broker().bindings(queue.name(), namespace.modelsExchange()))
					.containsExactly("test.Company.*");
			});
		});
	}

}
