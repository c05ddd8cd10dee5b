package io.eventlistener.autoconfigure;

import java.time.Clock;

import io.eventlistener.dispatch.EventReplies;
import io.eventlistener.lifecycle.StarterConnections;
import io.eventlistener.metrics.ReplyMetrics;
import io.eventlistener.publish.EventRequester;
import io.eventlistener.wire.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Request/reply over events: the {@link EventRequester} behind
 * {@code EventPublisher#request} (RabbitMQ's direct reply-to) and the
 * {@link EventReplies} through which reply handlers answer, both on the application's
 * publisher connections; with Micrometer, their {@link ReplyMetrics}.
 */
@AutoConfiguration(after = EventPublisherAutoConfiguration.class)
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBean(RabbitTemplate.class)
@ConditionalOnEventListenerEnabled
@EnableConfigurationProperties(EventListenerProperties.class)
public final class EventRequestReplyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventRequester eventRequester(RabbitTemplate rabbitTemplate, EventCodec eventCodec,
			EventListenerProperties properties, Environment environment, ObjectProvider<Clock> clock) {
		return new EventRequester(StarterConnections.applicationPublishing(rabbitTemplate.getConnectionFactory()),
				eventCodec, properties.getExchanges().getEvents(), properties.publisherIdentity(environment),
				clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	EventReplies eventReplies(RabbitTemplate rabbitTemplate, ObjectProvider<JsonMapper> jsonMapper,
			EventListenerProperties properties, Environment environment) {
		return properties.getReplies()
			.applyTo(new EventReplies(
					new RabbitTemplate(StarterConnections.applicationPublishing(rabbitTemplate.getConnectionFactory())),
					jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
					properties.publisherIdentity(environment).publisherId()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class ReplyMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "eventListenerReplyMetrics")
		ReplyMetrics eventListenerReplyMetrics(EventRequester requester, ObjectProvider<EventReplies> replies) {
			return new ReplyMetrics(requester, replies.getIfAvailable());
		}

	}

}
