package io.eventlistener.autoconfigure;

import java.time.Clock;

import io.eventlistener.EventPublisher;
import io.eventlistener.outbox.BrokerBlocking;
import io.eventlistener.outbox.ConfirmedSender;
import io.eventlistener.outbox.MessageOutbox;
import io.eventlistener.outbox.OutboxRelay;
import io.eventlistener.outbox.OutboxRepository;
import io.eventlistener.outbox.PublisherIdentity;
import io.eventlistener.publish.ConfirmingEventPublisher;
import io.eventlistener.publish.EventRequester;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.StringUtils;

/**
 * Publishing isimud events: the durable topic exchanges, the JSON codec and a confirming
 * {@link EventPublisher} that goes through the transactional outbox when
 * {@link EventOutboxAutoConfiguration} provides one. Needs only AMQP.
 */
@AutoConfiguration(afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass(value = RabbitTemplate.class,
		name = "org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer")
@ConditionalOnBean(RabbitTemplate.class)
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventListenerProperties.class)
@Import(EventListenerTaskConfiguration.class)
public final class EventPublisherAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventCodec eventCodec() {
		return new EventCodec();
	}

	@Bean
	@ConditionalOnMissingBean(name = "eventListenerExchanges")
	Declarables eventListenerExchanges(EventListenerProperties properties) {
		return new Declarables(new TopicExchange(properties.getExchanges().getEvents(), true, false),
				new TopicExchange(properties.getExchanges().getModels(), true, false));
	}

	@Bean
	@ConditionalOnMissingBean
	BrokerBlocking eventBrokerBlocking(ObjectProvider<Clock> clock) {
		return new BrokerBlocking(clock.getIfAvailable(Clock::systemUTC));
	}

	/**
	 * Publishes on the connection factory's publisher connection (Spring AMQP's
	 * {@code usePublisherConnection}): when a resource alarm makes the broker block that
	 * connection, the consumers' and the admin's connections go on, so deliveries are
	 * still acknowledged and queues declared. Boot's {@code spring.rabbitmq.template.*}
	 * settings apply.
	 */
	@Bean
	@ConditionalOnMissingBean
	ConfirmedSender eventConfirmedSender(RabbitTemplate rabbitTemplate,
			ObjectProvider<RabbitTemplateConfigurer> configurer, BrokerBlocking blocking,
			EventListenerProperties properties, ApplicationContext applicationContext) {
		RabbitTemplate publishing = new RabbitTemplate(rabbitTemplate.getConnectionFactory());
		// not a bean: given the context by hand, so that Boot's template observations
		// (spring.rabbitmq.template.observation-enabled) find the observation registry
		publishing.setBeanName("eventListenerPublisherTemplate");
		publishing.setApplicationContext(applicationContext);
		configurer
			.ifAvailable((bootSettings) -> bootSettings.configure(publishing, rabbitTemplate.getConnectionFactory()));
		publishing.setUsePublisherConnection(true);
		return new ConfirmedSender(publishing, properties.getPublisher().getConfirmTimeout(), blocking);
	}

	@Bean
	@ConditionalOnMissingBean
	MessageOutbox eventMessageOutbox(ObjectProvider<OutboxRepository> repository, ConfirmedSender sender,
			ObjectProvider<Clock> clock, EventListenerProperties properties, Environment environment) {
		return new MessageOutbox(repository.getIfAvailable(), sender, clock.getIfAvailable(Clock::systemUTC),
				publisherIdentity(properties, environment));
	}

	/**
	 * The {@code app_id}: {@code event-listener.publisher.id}, else
	 * {@code spring.application.name}, else none.
	 */
	static PublisherIdentity publisherIdentity(EventListenerProperties properties, Environment environment) {
		String id = properties.getPublisher().getId();
		if (!StringUtils.hasText(id)) {
			id = environment.getProperty("spring.application.name");
		}
		return new PublisherIdentity(StringUtils.hasText(id) ? id : null, properties.getPublisher().isTimestamp());
	}

	@Bean
	@ConditionalOnBean(OutboxRepository.class)
	@ConditionalOnMissingBean
	OutboxRelay eventOutboxRelay(OutboxRepository repository, MessageOutbox outbox, ObjectProvider<Clock> clock,
			EventListenerProperties properties, ObjectProvider<EventOutboxSchemaInitializer> schema,
			@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
		EventOutboxSchemaInitializer schemaInitializer = schema.getIfAvailable();
		return new OutboxRelay(repository, outbox, clock.getIfAvailable(Clock::systemUTC),
				properties.getOutbox().getRelayInterval(), properties.getOutbox().getRetryAfter(),
				(schemaInitializer != null) ? schemaInitializer::initialize : () -> {
				}, scheduler);
	}

	@Bean
	@ConditionalOnMissingBean
	EventPublisher eventPublisher(MessageOutbox outbox, EventCodec eventCodec, EventListenerProperties properties,
			ObjectProvider<EventRequester> requester) {
		ConfirmingEventPublisher publisher = new ConfirmingEventPublisher(outbox, eventCodec,
				properties.getExchanges().getEvents());
		publisher.setRequester(requester.getIfAvailable());
		return publisher;
	}

}
