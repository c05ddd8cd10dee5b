package io.eventlistener.autoconfigure;

import java.util.List;

import io.eventlistener.EventSubscription;
import io.eventlistener.EventSubscriptions;
import io.eventlistener.metrics.EventSubscriptionMetrics;
import io.eventlistener.subscription.BrokerEventSubscriptions;
import io.eventlistener.subscription.OverflowPolicy;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.Mockito.mock;

/**
 * The subscriptions' beans, their defaults and how they back off. Nothing here connects
 * anywhere: the queue is declared only when a subscription opens.
 */
class EventSubscriptionsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventSubscriptionsAutoConfiguration.class))
		.withBean(ConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"))
		.withBean(EventCodec.class, EventCodec::new)
		.withPropertyValues("spring.application.name=billing");

	@Test
	void subscriptionsAndTheirMetersAreConfiguredWithAQueueOfTheirOwn() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EventSubscriptions.class).hasSingleBean(EventSubscriptionMetrics.class);
			assertThat(context.getBean(BrokerEventSubscriptions.class).queueName())
				.startsWith("billing.subscriptions.");
			assertThat(context.getBean(BrokerEventSubscriptions.class).openCount()).isZero();
		});
	}

	@Test
	void theQueuePrefixNamesTheQueue() {
		this.runner.withPropertyValues("event-listener.queue-prefix=invoices")
			.run((context) -> assertThat(context.getBean(BrokerEventSubscriptions.class).queueName())
				.startsWith("invoices.subscriptions."));
	}

	@Test
	void theDefaultsAreAThousandEventsDroppingTheOldest() {
		EventSubscriptionProperties properties = new EventSubscriptionProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getBufferSize()).isEqualTo(1000);
		assertThat(properties.getOverflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
		assertThat(properties.getMaxOpen()).isEqualTo(1000);
		assertThat(properties.getMaxRoutingKeys()).isEqualTo(100);
	}

	@Test
	void theLimitsAreBoundAndASubscriptionWithTooManyKeysIsRefused() {
		this.runner
			.withPropertyValues("event-listener.subscriptions.max-open=3",
					"event-listener.subscriptions.max-routing-keys=2")
			.run((context) -> {
				EventSubscriptions subscriptions = context.getBean(EventSubscriptions.class);
				assertThat(subscriptions).extracting("maxOpen").isEqualTo(3);
				assertThatIllegalArgumentException().isThrownBy(() -> subscriptions.subscribe("a.#", "b.#", "c.#"))
					.withMessageContaining("at most 2 routing keys")
					.withMessageContaining("event-listener.subscriptions.max-routing-keys");
			});
	}

	@Test
	void theOverflowPolicyIsBoundFromItsKebabCaseName() {
		this.runner.withPropertyValues("event-listener.subscriptions.overflow=cancel")
			.run((context) -> assertThat(context.getBean(EventSubscriptionProperties.class).getOverflow())
				.isEqualTo(OverflowPolicy.CANCEL));
	}

	@Test
	void switchedOffThereAreNoSubscriptions() {
		this.runner.withPropertyValues("event-listener.subscriptions.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EventSubscriptions.class)
				.doesNotHaveBean(EventSubscriptionMetrics.class));
	}

	@Test
	void anApplicationsOwnSubscriptionsWin() {
		this.runner.withBean(EventSubscriptions.class, OwnSubscriptions::new)
			.run((context) -> assertThat(context).hasSingleBean(EventSubscriptions.class)
				.doesNotHaveBean(BrokerEventSubscriptions.class)
				.doesNotHaveBean(EventSubscriptionMetrics.class));
	}

	@Test
	void switchedOffWithTheWholeListener() {
		this.runner.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventSubscriptions.class));
	}

	@Test
	void backOffWithoutAConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EventSubscriptionsAutoConfiguration.class))
			.withBean(EventCodec.class, EventCodec::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventSubscriptions.class)
				.doesNotHaveBean(EventSubscriptionMetrics.class));
	}

	@Test
	void noMetersWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(EventSubscriptions.class)
				.doesNotHaveBean(EventSubscriptionMetrics.class));
	}

	@Test
	void anApplicationsOwnMetersWin() {
		this.runner
			.withBean("ownMeters", EventSubscriptionMetrics.class,
					() -> new EventSubscriptionMetrics(mock(BrokerEventSubscriptions.class)))
			.run((context) -> assertThat(context).hasSingleBean(EventSubscriptionMetrics.class).hasBean("ownMeters"));
	}

	static class OwnSubscriptions implements EventSubscriptions {

		@Override
		public EventSubscription subscribe(String... routingKeys) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<EventSubscription> openSubscriptions() {
			return List.of();
		}

	}

}
