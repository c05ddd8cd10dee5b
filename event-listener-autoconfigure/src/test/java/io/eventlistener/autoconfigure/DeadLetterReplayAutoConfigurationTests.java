package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.eventlistener.actuate.DeadLetterEndpoint;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.replay.DeadLetterReplayer;
import io.eventlistener.replay.ReplayTargets;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * When dead letters can be replayed, and where the replayer and its endpoint back off.
 * Broker-free: the replayer connects only when asked to count or replay, which no test
 * here does.
 */
class DeadLetterReplayAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DeadLetterReplayAutoConfiguration.class,
				EventListenerEndpointAutoConfiguration.class))
		.withBean(ConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"))
		.withBean(QueueNames.class, () -> new QueueNames("billing"))
		.withBean(ObserverRegistry.class, () -> mock(ObserverRegistry.class));

	@Test
	void replaysOnlyToTheConfiguredEventsExchange() {
		this.runner.withPropertyValues("event-listener.exchanges.events=billing-events")
			.run((context) -> assertThat(context.getBean(DeadLetterReplayer.class)).extracting("targets")
				.extracting("eventsExchange")
				.isEqualTo("billing-events"));
	}

	@Test
	void replaysFromThePrefixesDeadLetterQueueByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DeadLetterReplayer.class);
			assertThat(context.getBean(DeadLetterReplayer.class)).extracting("deadLetterQueue")
				.isEqualTo("billing.dead-letter");
		});
	}

	@Test
	void replaysFromTheConfiguredDeadLetterQueue() {
		this.runner.withPropertyValues("event-listener.dead-letter.queue=billing.parked")
			.run((context) -> assertThat(context.getBean(DeadLetterReplayer.class)).extracting("deadLetterQueue")
				.isEqualTo("billing.parked"));
	}

	@Test
	void namesItsConnectionAfterThePrefix() {
		this.runner.run((context) -> assertThat(context.getBean(DeadLetterReplayer.class)).extracting("connectionName")
			.isEqualTo("billing.dead-letter-replay"));
	}

	@Test
	void waitsForConfirmsAsLongAsThePublisherDoes() {
		this.runner.withPropertyValues("event-listener.publisher.confirm-timeout=7s")
			.run((context) -> assertThat(context.getBean(DeadLetterReplayer.class)).extracting("confirmTimeout")
				.isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void backsOffWhenDeadLettersAreDisabled() {
		this.runner.withPropertyValues("event-listener.dead-letter.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DeadLetterReplayer.class));
	}

	@Test
	void backsOffWithoutTheListenersQueueNames() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeadLetterReplayAutoConfiguration.class,
					EventListenerEndpointAutoConfiguration.class))
			.withBean(ConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DeadLetterReplayer.class));
	}

	@Test
	void backsOffWithoutAConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeadLetterReplayAutoConfiguration.class,
					EventListenerEndpointAutoConfiguration.class))
			.withBean(QueueNames.class, () -> new QueueNames("billing"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DeadLetterReplayer.class));
	}

	@Test
	void usesTheApplicationsOwnReplayer() {
		DeadLetterReplayer own = new DeadLetterReplayer(mock(com.rabbitmq.client.ConnectionFactory.class), "own",
				"own-replay", Duration.ofSeconds(1), new ReplayTargets("events", (queue) -> false));
		this.runner.withBean(DeadLetterReplayer.class, () -> own)
			.run((context) -> assertThat(context).getBean(DeadLetterReplayer.class).isSameAs(own));
	}

	@Test
	void failsWithWhatToDoWhenTheConnectionFactoryIsNotSpringAmqps() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeadLetterReplayAutoConfiguration.class,
					EventListenerEndpointAutoConfiguration.class))
			.withBean(ConnectionFactory.class, () -> mock(ConnectionFactory.class))
			.withBean(QueueNames.class, () -> new QueueNames("billing"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("needs a Spring AMQP AbstractConnectionFactory")
				.hasMessageContaining("Define a DeadLetterReplayer bean yourself"));
	}

	@Test
	void noEndpointUnlessItIsExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DeadLetterEndpoint.class));
	}

	@Test
	void theEndpointIsOffUntilItsAccessIsSetOnPurpose() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=eventlistenerdeadletters")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DeadLetterEndpoint.class));
	}

	@Test
	void theEndpointComesWhenItIsExposedAndItsAccessSet() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=eventlistenerdeadletters",
					"management.endpoint.eventlistenerdeadletters.access=UNRESTRICTED")
			.run((context) -> assertThat(context).hasSingleBean(DeadLetterEndpoint.class));
	}

	@Test
	void theEndpointBacksOffWithoutTheActuator() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=eventlistenerdeadletters")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DeadLetterReplayer.class)
				.doesNotHaveBean(DeadLetterEndpoint.class));
	}

	@Test
	void usesTheApplicationsOwnEndpoint() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=eventlistenerdeadletters",
					"management.endpoint.eventlistenerdeadletters.access=UNRESTRICTED")
			.withBean("ownEndpoint", DeadLetterEndpoint.class,
					() -> new DeadLetterEndpoint(mock(DeadLetterReplayer.class), Clock.systemUTC()))
			.run((context) -> assertThat(context).hasSingleBean(DeadLetterEndpoint.class).hasBean("ownEndpoint"));
	}

}
