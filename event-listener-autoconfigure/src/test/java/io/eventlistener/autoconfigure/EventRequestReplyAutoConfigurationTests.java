package io.eventlistener.autoconfigure;

import java.time.Clock;

import io.eventlistener.dispatch.EventReplies;
import io.eventlistener.publish.EventRequester;
import io.eventlistener.wire.EventCodec;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Request/reply comes with the application's {@link RabbitTemplate}, goes with
 * {@code event-listener.enabled=false}, and gives way to the application's own beans.
 * Broker-free: the requester and the replies connect only when used.
 */
class EventRequestReplyAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventRequestReplyAutoConfiguration.class))
		.withBean(RabbitTemplate.class, () -> new RabbitTemplate(new CachingConnectionFactory("127.0.0.1")))
		.withBean(EventCodec.class, EventCodec::new);

	@Test
	void requesterRepliesAndTheirMetricsComeWithTheRabbitTemplate() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(EventRequester.class)
			.hasSingleBean(EventReplies.class)
			.hasBean("eventListenerReplyMetrics"));
	}

	@Test
	void backsOffWithoutARabbitTemplate() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EventRequestReplyAutoConfiguration.class))
			.withBean(EventCodec.class, EventCodec::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventRequester.class)
				.doesNotHaveBean(EventReplies.class));
	}

	@Test
	void backsOffWhenTheListenerIsDisabled() {
		this.runner.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventRequester.class)
				.doesNotHaveBean(EventReplies.class));
	}

	@Test
	void noReplyMetricsWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(EventRequester.class)
				.doesNotHaveBean("eventListenerReplyMetrics"));
	}

	@Test
	void usesTheApplicationsOwnRequester() {
		EventRequester own = mock(EventRequester.class);
		this.runner.withBean(EventRequester.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventRequester.class).isSameAs(own));
	}

	@Test
	void usesTheApplicationsOwnReplies() {
		EventReplies own = new EventReplies(mock(RabbitTemplate.class), JsonMapper.builder().build(), "own");
		this.runner.withBean(EventReplies.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventReplies.class).isSameAs(own));
	}

	@Test
	void usesTheApplicationsOwnReplyMetrics() {
		MeterBinder own = (registry) -> {
		};
		this.runner.withBean("eventListenerReplyMetrics", MeterBinder.class, () -> own)
			.run((context) -> assertThat(context).getBean("eventListenerReplyMetrics").isSameAs(own));
	}

	@Test
	void usesTheApplicationsClock() {
		Clock clock = Clock.systemDefaultZone();
		this.runner.withBean(Clock.class, () -> clock)
			.run((context) -> assertThat(context.getBean(EventRequester.class)).extracting("clock").isSameAs(clock));
	}

}
