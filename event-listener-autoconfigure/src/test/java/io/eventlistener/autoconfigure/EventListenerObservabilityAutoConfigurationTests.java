package io.eventlistener.autoconfigure;

import java.util.List;

import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.actuate.EventListenerHealthIndicator;
import io.eventlistener.actuate.OutageHealthIndicator;
import io.eventlistener.actuate.PublisherHealthIndicator;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.metrics.EventListenerMetrics;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.outbox.BrokerBlocking;
import io.eventlistener.outbox.ConfirmedSender;
import io.eventlistener.registry.ObserverRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
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

	@Test
	void metricsGiveWayToTheApplicationsOwn() {
		EventListenerMetrics own = mock(EventListenerMetrics.class);
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(EventListenerMetrics.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventListenerMetrics.class).isSameAs(own));
	}

	@Test
	void healthIndicatorGivesWayToABeanOfItsName() {
		this.runner.withBean("eventListenerHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventListenerHealthIndicator.class));
	}

	@Test
	void publisherHealthComesWithTheConfirmedSendersBrokerBlocking() {
		EventPublishingAssembly publishing = mock(EventPublishingAssembly.class);
		ConfirmedSender sender = mock(ConfirmedSender.class);
		BrokerBlocking blocking = mock(BrokerBlocking.class);
		given(publishing.sender()).willReturn(sender);
		given(sender.blocking()).willReturn(blocking);
		this.runner.withBean(EventPublishingAssembly.class, () -> publishing).run((context) -> {
			assertThat(context).hasSingleBean(PublisherHealthIndicator.class);
			assertThat(context.getBean(PublisherHealthIndicator.class)).extracting("blocking").isSameAs(blocking);
		});
	}

	@Test
	void noPublisherHealthWithoutAConfirmedSender() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(PublisherHealthIndicator.class));
	}

	@Test
	void outageHealthComesWithTheOutagePause() {
		this.runner.withBean(OutagePause.class, () -> mock(OutagePause.class))
			.run((context) -> assertThat(context).hasSingleBean(OutageHealthIndicator.class));
	}

	@Test
	void noOutageHealthWithoutTheOutagePause() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(OutageHealthIndicator.class));
	}

	@Test
	void endpointGivesWayToTheApplicationsOwn() {
		EventListenerEndpoint own = mock(EventListenerEndpoint.class);
		this.runner.withBean(EventListenerEndpoint.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventListenerEndpoint.class).isSameAs(own));
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@Bean
		ObserverRegistry observerRegistry(EventListenerAssembly listener) {
			return listener.registry();
		}

		@Bean
		ObserverTypes observerTypes(EventListenerAssembly listener) {
			return listener.types();
		}

		@Bean
		EventListenerAssembly eventListenerAssembly() {
			EventListenerAssembly listener = mock(EventListenerAssembly.class);
			given(listener.registry()).willReturn(mock(ObserverRegistry.class));
			given(listener.types()).willReturn(new ObserverTypes(List.of()));
			given(listener.lifecycle()).willReturn(mock(EventListenerLifecycle.class));
			given(listener.queueNames()).willReturn(new QueueNames("billing"));
			return listener;
		}

	}

}
