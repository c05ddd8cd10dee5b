package io.eventlistener.autoconfigure;

import java.util.concurrent.Executor;

import io.eventlistener.EventSubscriptions;
import io.eventlistener.metrics.EventSubscriptionMetrics;
import io.eventlistener.subscription.BrokerEventSubscriptions;
import io.eventlistener.wire.EventCodec;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * In-process event subscriptions ({@link EventSubscriptions}): one exclusive queue per
 * process on the application's connection, bound with the open subscriptions' routing
 * keys, named {@code {queue-prefix}.subscriptions.{random}} (the prefix defaults to
 * {@code spring.application.name}). Needs only AMQP; switch it off with
 * {@code event-listener.subscriptions.enabled=false}.
 */
@AutoConfiguration(after = { EventPublisherAutoConfiguration.class, TaskExecutionAutoConfiguration.class })
@ConditionalOnClass(DirectMessageListenerContainer.class)
@ConditionalOnBean({ ConnectionFactory.class, EventCodec.class })
@ConditionalOnEventListenerEnabled
@ConditionalOnBooleanProperty(name = "event-listener.subscriptions.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EventListenerProperties.class, EventSubscriptionProperties.class })
public final class EventSubscriptionsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(EventSubscriptions.class)
	BrokerEventSubscriptions eventSubscriptions(ConnectionFactory connectionFactory, EventCodec codec,
			EventListenerProperties listener, EventSubscriptionProperties properties, Environment environment,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> executor) {
		return properties.subscriptions(connectionFactory, listener.subscriptionsPrefixOr(environment),
				listener.getExchanges().getEvents(), codec,
				executor.getIfAvailable(() -> EventListenerThreads.perTask("subscription", environment)));
	}

	/**
	 * The subscriptions' meters, bound by Boot to every meter registry. Its condition
	 * repeats the subscriptions' own: a nested configuration is read before the bean
	 * methods of the class around it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	@ConditionalOnMissingBean(EventSubscriptions.class)
	static class SubscriptionMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventSubscriptionMetrics eventSubscriptionMetrics(BrokerEventSubscriptions subscriptions) {
			return new EventSubscriptionMetrics(subscriptions);
		}

	}

}
