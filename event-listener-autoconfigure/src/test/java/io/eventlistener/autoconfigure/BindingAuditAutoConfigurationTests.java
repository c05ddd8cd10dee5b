package io.eventlistener.autoconfigure;

import java.util.List;

import io.eventlistener.actuate.BindingAuditEndpoint;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.audit.BindingAudit;
import io.eventlistener.audit.BrokerBindings;
import io.eventlistener.audit.ManagementApiBindings;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.watch.ModelWatcherListener;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The binding audit is configured only when the management API is: nothing asks the
 * broker over HTTP unless told where. Nothing here connects anywhere.
 */
class BindingAuditAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BindingAuditAutoConfiguration.class,
				EventListenerEndpointAutoConfiguration.class))
		.withBean(ConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"))
		.withBean(EventListenerAssembly.class, BindingAuditAutoConfigurationTests::listener);

	@Test
	void withoutAManagementUrlThereIsNoAudit() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(BindingAudit.class)
			.doesNotHaveBean(BindingAuditEndpoint.class));
	}

	@Test
	void aManagementUrlConfiguresTheAuditAndItsResyncLogLine() {
		this.runner.withPropertyValues("event-listener.management.url=http://rabbit.internal:15672").run((context) -> {
			assertThat(context).hasSingleBean(BindingAudit.class)
				.doesNotHaveBean(BrokerBindings.class)
				.doesNotHaveBean(BindingAuditEndpoint.class);
			assertThat(context.getBean(BindingAudit.class)).extracting("broker")
				.isInstanceOf(ManagementApiBindings.class);
			assertThat(context.getBeansOfType(ModelWatcherListener.class).values()).as("it audits at every resync")
				.containsExactly(context.getBean(BindingAudit.class));
		});
	}

	@Test
	void theEndpointIsOffUntilItsAccessIsSetOnPurpose() {
		this.runner
			.withPropertyValues("event-listener.management.url=http://rabbit.internal:15672",
					"management.endpoints.web.exposure.include=eventlistenerbindings")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BindingAuditEndpoint.class));
	}

	@Test
	void theEndpointComesWhenItIsExposedAndItsAccessSet() {
		this.runner
			.withPropertyValues("event-listener.management.url=http://rabbit.internal:15672",
					"management.endpoints.web.exposure.include=eventlistenerbindings",
					"management.endpoint.eventlistenerbindings.access=READ_ONLY")
			.run((context) -> assertThat(context).hasSingleBean(BindingAuditEndpoint.class));
	}

	@Test
	void theEndpointBacksOffWithoutTheActuator() {
		this.runner
			.withPropertyValues("event-listener.management.url=http://rabbit.internal:15672",
					"management.endpoints.web.exposure.include=eventlistenerbindings")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(BindingAudit.class)
				.doesNotHaveBean(BindingAuditEndpoint.class));
	}

	@Test
	void backsOffWithoutTheListener() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(BindingAuditAutoConfiguration.class))
			.withPropertyValues("event-listener.management.url=http://rabbit.internal:15672")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BindingAudit.class));
	}

	@Test
	void usesTheApplicationsOwnBrokerBindings() {
		BrokerBindings own = mock(BrokerBindings.class);
		this.runner.withPropertyValues("event-listener.management.url=http://rabbit.internal:15672")
			.withBean(BrokerBindings.class, () -> own)
			.run((context) -> assertThat(context.getBean(BindingAudit.class)).extracting("broker").isSameAs(own));
	}

	private static EventListenerAssembly listener() {
		EventListenerAssembly listener = mock(EventListenerAssembly.class);
		given(listener.registry()).willReturn(mock(ObserverRegistry.class));
		given(listener.types()).willReturn(new ObserverTypes(List.of()));
		given(listener.queueNames()).willReturn(new QueueNames("billing"));
		given(listener.topology())
			.willReturn(new BrokerTopology(new RabbitAdmin(new CachingConnectionFactory("127.0.0.1"))));
		return listener;
	}

}
