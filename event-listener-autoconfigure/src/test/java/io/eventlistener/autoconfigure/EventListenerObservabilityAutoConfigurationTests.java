package io.eventlistener.autoconfigure;

import java.util.List;

import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.metrics.EventListenerMetrics;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.ObserverRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Metrics, health and endpoint auto-configuration: when each applies and when it backs
 * off, over a listener made of stand-ins (no broker needed).
 */
class EventListenerObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventListenerMetricsAutoConfiguration.class,
				EventListenerHealthContributorAutoConfiguration.class, EventListenerEndpointAutoConfiguration.class))
		.withUserConfiguration(Listener.class)
		.withPropertyValues("management.endpoints.web.exposure.include=eventlistener");

	@Test
	void configuresMetricsHealthAndEndpoint() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(EventListenerMetrics.class)
				.hasSingleBean(EventListenerHealthIndicator.class)
				.hasBean("eventListenerHealthIndicator")
				.hasSingleBean(EventListenerEndpoint.class));
	}

	@Test
	void metricsBackOffWithoutAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(EventListenerMetrics.class)
			.hasSingleBean(EventListenerHealthIndicator.class));
	}

	@Test
	void healthIndicatorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.eventlistener.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EventListenerHealthIndicator.class));
	}

	@Test
	void endpointBacksOffUnlessExposed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EventListenerEndpointAutoConfiguration.class))
			.withUserConfiguration(Listener.class)
			.run((context) -> assertThat(context).doesNotHaveBean(EventListenerEndpoint.class));
	}

	@Test
	void everythingBacksOffWithoutAListener() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EventListenerMetricsAutoConfiguration.class,
					EventListenerHealthContributorAutoConfiguration.class,
					EventListenerEndpointAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("management.endpoints.web.exposure.include=eventlistener")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventListenerMetrics.class)
				.doesNotHaveBean(EventListenerHealthIndicator.class)
				.doesNotHaveBean(EventListenerEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@Bean
		ObserverRegistry observerRegistry() {
			return mock(ObserverRegistry.class);
		}

		@Bean
		ObserverTypes observerTypes() {
			return new ObserverTypes(List.of());
		}

		@Bean
		EventListenerLifecycle eventListenerLifecycle() {
			return mock(EventListenerLifecycle.class);
		}

	}

}
