package io.eventlistener.autoconfigure;

import io.eventlistener.metrics.EventSubscriptionMetrics;
import io.eventlistener.subscription.BrokerEventSubscriptions;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The in-process subscriptions' meters ({@link EventSubscriptionMetrics}), bound by Boot
 * to every meter registry when Micrometer is there.
 */
@AutoConfiguration(after = EventSubscriptionsAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(BrokerEventSubscriptions.class)
public final class EventSubscriptionMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventSubscriptionMetrics eventSubscriptionMetrics(BrokerEventSubscriptions subscriptions) {
		return new EventSubscriptionMetrics(subscriptions);
	}

}
