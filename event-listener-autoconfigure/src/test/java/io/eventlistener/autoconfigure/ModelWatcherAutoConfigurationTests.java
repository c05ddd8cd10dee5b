package io.eventlistener.autoconfigure;

import io.eventlistener.assembly.ModelWatcherAssembly;
import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.CompanyObservers;
import io.eventlistener.autoconfigure.miswatched.MisWatched;
import io.eventlistener.it.Company;
import io.eventlistener.lifecycle.RegistryRecovery;
import io.eventlistener.testsupport.NoBroker;
import io.eventlistener.watch.HibernateModelWatcher;
import io.eventlistener.watch.ModelChangePublisher;
import io.eventlistener.watch.ModelChangeReceiver;
import io.eventlistener.watch.ModelWatcherSchema;
import io.eventlistener.watch.ModelWatcherSubscription;
import io.eventlistener.watch.ObserverSynchronizer;
import io.eventlistener.watch.WatcherQueue;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model watcher's beans, switches and fail-fast checks, without services (see
 * {@link NoBroker}); what needs the broker is in
 * {@link ModelWatcherAutoConfigurationIntegrationTests}.
 */
class ModelWatcherAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
				EventListenerAutoConfiguration.class, ModelWatcherAutoConfiguration.class))
		.withPropertyValues(NoBroker.propertyValues())
		.withPropertyValues("event-listener.queue-prefix=billing", "event-listener.watcher.schema=app");

	@Test
	void configuresPublishingAndTheWatcherWithoutStartingThem() {
		this.runner.withUserConfiguration(CompanyObservers.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(HibernateModelWatcher.class)
				.doesNotHaveBean(ModelChangePublisher.class)
				.hasSingleBean(ModelWatcherAssembly.class)
				.hasSingleBean(ObserverSynchronizer.class)
				.hasSingleBean(ModelWatcherSubscription.class)
				.doesNotHaveBean(WatcherQueue.class)
				.doesNotHaveBean(DirectMessageListenerContainer.class)
				.doesNotHaveBean("modelWatcherDeclarables");
			ModelWatcherSubscription subscription = context.getBean(ModelWatcherSubscription.class);
			assertThat(subscription.consumer().getMessageListener()).isInstanceOf(ModelChangeReceiver.class);
			WatcherQueue queue = subscription.queue();
			assertThat(queue.name()).startsWith("billing.listener.").contains("." + ProcessHandle.current().pid());
			assertThat(queue.routingKeys()).containsExactly("app.Company.*");
			assertThat(subscription.isRunning()).isFalse();
			assertThat(subscription.consumer().isRunning()).isFalse();
			assertThat(context).doesNotHaveBean(RegistryRecovery.class);
			assertThat(context.getBean(ModelWatcherAssembly.class).recovery().isRunning()).isFalse();
		});
	}

	@Test
	void schemaCanBeSet() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.watcher.schema=billing")
			.run((context) -> {
				assertThat(context.getBean(ModelWatcherSchema.class).name()).isEqualTo("billing");
				assertThat(context.getBean(ModelWatcherSubscription.class).queue().routingKeys())
					.containsExactly("billing.Company.*");
			});
	}

	@Test
	void publishingCanBeSwitchedOffAlone() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.watcher.publish=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HibernateModelWatcher.class)
				.hasSingleBean(ModelWatcherSubscription.class));
	}

	@Test
	void watcherQueueCanBeSwitchedOffAloneAndResynchronisingStays() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.watcher.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ModelWatcherSubscription.class)
				.hasSingleBean(ObserverSynchronizer.class)
				.hasSingleBean(HibernateModelWatcher.class));
	}

	@Test
	void backsOffWhenTheListenerIsDisabled() {
		this.runner.withUserConfiguration(CompanyObservers.class)
			.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(HibernateModelWatcher.class)
				.doesNotHaveBean(ObserverSynchronizer.class)
				.doesNotHaveBean(ModelWatcherSubscription.class));
	}

	@Test
	void failsWhenAWatchedMarkIsNotOnAPersistentAttribute() {
		this.runner.withUserConfiguration(CompanyObservers.class, MisWatchedEntities.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("@Watched on " + MisWatched.class.getName() + ".computed")
				.hasMessageContaining("only basic persistent attributes can be watched"));
	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = { Company.class, MisWatched.class })
	static class MisWatchedEntities {

	}

}
