package io.eventlistener.autoconfigure;

import io.eventlistener.EventPublisher;
import io.eventlistener.publish.ConfirmingEventPublisher;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Publishing isimud events: the durable topic exchanges, the JSON codec and a confirming
 * {@link EventPublisher}. Needs only AMQP.
 */
@AutoConfiguration(after = RabbitAutoConfiguration.class)
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBean(RabbitTemplate.class)
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventListenerProperties.class)
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
	EventPublisher eventPublisher(RabbitTemplate rabbitTemplate, EventCodec eventCodec,
			EventListenerProperties properties) {
		return new ConfirmingEventPublisher(rabbitTemplate, eventCodec, properties.getExchanges().getEvents(),
				properties.getPublisher().getConfirmTimeout());
	}

}
