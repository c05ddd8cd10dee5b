package io.eventlistener.autoconfigure;

import io.eventlistener.EventPublisher;
import io.eventlistener.assembly.EventPublishingAssembly;
import io.eventlistener.outbox.BrokerBlocking;
import io.eventlistener.outbox.ConfirmedSender;
import io.eventlistener.outbox.MessageOutbox;
import io.eventlistener.outbox.OutboxRepository;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The publisher comes with the application's {@link RabbitTemplate}, relays an outbox
 * only when there is one, goes with {@code event-listener.enabled=false} or without
 * Boot's AMQP module, and gives way to the application's own beans. Broker-free: the
 * publisher connects when it first publishes, which no test here does.
 */
class EventPublisherAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventPublisherAutoConfiguration.class))
		.withBean(CachingConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"))
		.withBean(RabbitTemplate.class, () -> new RabbitTemplate(new CachingConnectionFactory("127.0.0.1")));

	@Test
	void publisherComesWithTheRabbitTemplate() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(EventPublisher.class)
			.hasSingleBean(EventPublishingAssembly.class)
			.doesNotHaveBean(ConfirmedSender.class)
			.doesNotHaveBean(MessageOutbox.class)
			.doesNotHaveBean(BrokerBlocking.class)
			.hasSingleBean(EventCodec.class)
			.hasBean("eventListenerExchanges"));
	}

	@Test
	void publishesOnAConfirmingConnectionFactoryOfItsOwn() {
		this.runner.run((context) -> {
			assertThat(context.getBean(CachingConnectionFactory.class).isPublisherConfirms())
				.as("the application's, injected by type")
				.isFalse();
			assertThat(context
				.getBean(EventPublisherAutoConfiguration.PUBLISHER_CONNECTION_FACTORY_BEAN_NAME,
						CachingConnectionFactory.class)
				.isPublisherConfirms()).isTrue();
		});
	}

	@Test
	void noOutboxRelayWithoutAnOutbox() {
		this.runner.run((context) -> assertThat(context.getBean(EventPublishingAssembly.class).relay()).isNull());
	}

	@Test
	void relaysTheOutboxWhenThereIsOne() {
		this.runner.withBean(OutboxRepository.class, () -> mock(OutboxRepository.class))
			.withPropertyValues("event-listener.auto-startup=false")
			.run((context) -> assertThat(context.getBean(EventPublishingAssembly.class).relay()).isNotNull());
	}

	@Test
	void backsOffWithoutARabbitTemplate() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventPublisherAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventPublisher.class));
	}

	@Test
	void backsOffWhenTheListenerIsDisabled() {
		this.runner.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventPublisher.class));
	}

	@Test
	void backsOffWithoutBootsAmqpModule() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.amqp"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventPublisher.class));
	}

	@Test
	void usesTheApplicationsOwnPublisher() {
		EventPublisher own = mock(EventPublisher.class);
		this.runner.withBean(EventPublisher.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventPublisher.class).isSameAs(own));
	}

	@Test
	void usesTheApplicationsOwnCodec() {
		EventCodec own = new EventCodec();
		this.runner.withBean(EventCodec.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventCodec.class).isSameAs(own));
	}

	@Test
	void usesTheApplicationsOwnExchangeDeclarations() {
		Declarables own = new Declarables();
		this.runner.withBean("eventListenerExchanges", Declarables.class, () -> own)
			.run((context) -> assertThat(context).getBean("eventListenerExchanges").isSameAs(own));
	}

}
