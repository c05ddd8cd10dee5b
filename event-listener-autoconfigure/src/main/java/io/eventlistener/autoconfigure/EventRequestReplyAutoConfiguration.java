package io.eventlistener.autoconfigure;

import java.time.Clock;

import io.eventlistener.dispatch.EventReplies;
import io.eventlistener.outbox.PublisherIdentity;
import io.eventlistener.publish.EventRequester;
import io.eventlistener.wire.EventCodec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Request/reply over events: the {@link EventRequester} behind
 * {@code EventPublisher#request} (RabbitMQ's direct reply-to) and the
 * {@link EventReplies} through which reply handlers answer; with Micrometer, the
 * {@value #DROPPED_REPLIES} counter.
 */
@AutoConfiguration(after = EventPublisherAutoConfiguration.class)
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBean(RabbitTemplate.class)
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventListenerProperties.class)
public final class EventRequestReplyAutoConfiguration {

	/**
	 * Replies the requester dropped, tagged {@code reason}: {@code late} (after the
	 * request's timeout) or {@code extra} (a second reply to an answered request).
	 */
	public static final String DROPPED_REPLIES = "event.listener.replies.dropped";

	/**
	 * Replies of this application's reply handlers, tagged {@code outcome}: {@code sent}
	 * or {@code refused} (the request's {@code reply_to} is neither RabbitMQ's direct
	 * reply-to nor in {@code event-listener.replies.allowed-queues}).
	 */
	public static final String REPLIES = "event.listener.replies";

	@Bean
	@ConditionalOnMissingBean
	EventRequester eventRequester(RabbitTemplate rabbitTemplate, EventCodec eventCodec,
			EventListenerProperties properties, Environment environment, ObjectProvider<Clock> clock) {
		return new EventRequester(publisherConnections(rabbitTemplate.getConnectionFactory()), eventCodec,
				properties.getExchanges().getEvents(),
				EventPublisherAutoConfiguration.publisherIdentity(properties, environment),
				clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	EventReplies eventReplies(RabbitTemplate rabbitTemplate, ObjectProvider<JsonMapper> jsonMapper,
			EventListenerProperties properties, Environment environment) {
		RabbitTemplate replying = new RabbitTemplate(rabbitTemplate.getConnectionFactory());
		replying.setUsePublisherConnection(true);
		PublisherIdentity identity = EventPublisherAutoConfiguration.publisherIdentity(properties, environment);
		EventReplies replies = new EventReplies(replying, jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
				identity.publisherId());
		replies.setAllowedQueues(properties.getReplies().getAllowedQueues());
		replies.setIncludeExceptionMessage(properties.getReplies().isIncludeExceptionMessage());
		return replies;
	}

	private static ConnectionFactory publisherConnections(ConnectionFactory connectionFactory) {
		ConnectionFactory publisher = connectionFactory.getPublisherConnectionFactory();
		return (publisher != null) ? publisher : connectionFactory;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class ReplyMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "eventListenerReplyMetrics")
		MeterBinder eventListenerReplyMetrics(EventRequester requester, ObjectProvider<EventReplies> replies) {
			return (registry) -> {
				replies.ifAvailable((answers) -> {
					FunctionCounter.builder(REPLIES, answers, EventReplies::sentReplies)
						.description("Replies sent by reply handlers")
						.tag("outcome", "sent")
						.register(registry);
					FunctionCounter.builder(REPLIES, answers, EventReplies::refusedReplies)
						.description("Replies dropped because the request's reply_to is not allowed")
						.tag("outcome", "refused")
						.register(registry);
				});
				FunctionCounter.builder(DROPPED_REPLIES, requester, EventRequester::lateReplies)
					.description("Replies dropped because their request had timed out")
					.tag("reason", "late")
					.register(registry);
				FunctionCounter.builder(DROPPED_REPLIES, requester, EventRequester::extraReplies)
					.description("Replies dropped because another reply had answered their request")
					.tag("reason", "extra")
					.register(registry);
			};
		}

	}

}
