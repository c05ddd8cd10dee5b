package io.eventlistener.autoconfigure;

import java.time.Duration;

import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.CompanyObservers;
import io.eventlistener.dispatch.DeliveryPipeline;
import io.eventlistener.dispatch.RequeueBackOff;
import io.eventlistener.method.EventObserverHandlerPostProcessor;
import io.eventlistener.testsupport.NoBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventListenerAutoConfiguration}'s handler methods and the requeue back-off
 * ({@code event-listener.requeue.*}) the dispatcher uses, broker-free.
 */
class EventHandlingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
				EventListenerAutoConfiguration.class))
		.withPropertyValues(NoBroker.propertyValues())
		.withPropertyValues("event-listener.queue-prefix=billing")
		.withUserConfiguration(CompanyObservers.class);

	@Test
	void findsHandlerMethodsAndRequeuesWithTheRequeueSettings() {
		this.runner
			.withPropertyValues("event-listener.requeue.max-requeues=2", "event-listener.requeue.max-interval=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(EventObserverHandlerPostProcessor.class);
				RequeueBackOff backOff = requeueBackOff(context);
				assertThat(backOff.maxRequeues()).isEqualTo(2);
				assertThat(backOff.interval(10)).isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void requeueDefaultsAreFiveRequeuesUpToThirtySeconds() {
		this.runner.run((context) -> {
			RequeueBackOff backOff = requeueBackOff(context);
			assertThat(backOff.maxRequeues()).isEqualTo(5);
			assertThat(backOff.interval(1)).isEqualTo(Duration.ofSeconds(1));
			assertThat(backOff.interval(10)).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void backsOffWithoutTheListener() {
		this.runner.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventObserverHandlerPostProcessor.class)
				.doesNotHaveBean(DeliveryPipeline.class));
	}

	private static RequeueBackOff requeueBackOff(ApplicationContext context) {
		return (RequeueBackOff) ReflectionTestUtils.getField(ReflectionTestUtils
			.getField(ReflectionTestUtils.getField(context.getBean(DeliveryPipeline.class), "dispatcher"), "failures"),
				"requeueBackOff");
	}

}
