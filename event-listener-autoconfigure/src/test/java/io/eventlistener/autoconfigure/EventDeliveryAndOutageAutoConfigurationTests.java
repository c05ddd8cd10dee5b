package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.CompanyObservers;
import io.eventlistener.dispatch.OutageClassifier;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.testsupport.NoBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventListenerAutoConfiguration}'s broadcast queue names and outage pause: their
 * conditions and back-offs, broker-free (H2, a closed broker port, no auto-start).
 */
class EventDeliveryAndOutageAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
				EventListenerAutoConfiguration.class))
		.withPropertyValues(NoBroker.propertyValues())
		.withPropertyValues("event-listener.queue-prefix=billing", "event-listener.delivery.instance-id=a")
		.withUserConfiguration(CompanyObservers.class);

	@Test
	void aBroadcastQueueGetsThisInstancesNameAndAPoolQueueKeepsItsName() {
		this.runner.withUserConfiguration(Queues.class).run((context) -> {
			assertThat(context.getBean("broadcastQueue", EventQueueBinding.class).queueName())
				.isEqualTo(context.getBean(QueueNames.class).instanceQueue("billing.cache"));
			assertThat(context.getBean("pooledQueue", EventQueueBinding.class).queueName()).isEqualTo("billing.audit");
		});
	}

	@Test
	void aBroadcastQueueKeepsItsNameWhenTheListenerIsOff() {
		this.runner.withUserConfiguration(Queues.class)
			.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context.getBean("broadcastQueue", EventQueueBinding.class).queueName())
				.isEqualTo("billing.cache"));
	}

	@Test
	void pausesForDatabaseOutagesByDefaultAndTheDispatcherUsesIt() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(OutagePause.class);
			assertThat(context.getBean(EventListenerAssembly.class).pipeline())
				.extracting("dispatcher.failures.outagePause")
				.isSameAs(context.getBean(OutagePause.class));
			assertThat(context.getBean(OutagePause.class)).extracting("prober")
				.extracting("threadNamePrefix")
				.isEqualTo("event-listener-outage-probe-");
		});
	}

	@Test
	void outagePauseBacksOffWhenSwitchedOffOrDefinedByTheApplication() {
		this.runner.withPropertyValues("event-listener.outage.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutagePause.class));
		this.runner.withUserConfiguration(OwnOutagePause.class)
			.run((context) -> assertThat(context).getBean(OutagePause.class)
				.isSameAs(context.getBean(OwnOutagePause.class).pause));
	}

	@Test
	void outagePauseBacksOffWithoutTheListener() {
		this.runner.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutagePause.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Queues {

		@Bean
		EventQueueBinding broadcastQueue() {
			return EventQueueBinding.of("billing.cache", List.of("#"), (event) -> {
			}).withDelivery(DeliveryMode.BROADCAST);
		}

		@Bean
		EventQueueBinding pooledQueue() {
			return EventQueueBinding.of("billing.audit", List.of("#"), (event) -> {
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnOutagePause {

		final OutagePause pause = new OutagePause(OutageClassifier.defaults(), () -> {
		}, Duration.ofSeconds(1), Duration.ofSeconds(5), Clock.systemUTC(), Runnable::run);

		@Bean
		OutagePause ownOutagePause() {
			return this.pause;
		}

	}

}
