package io.eventlistener.autoconfigure;

import java.time.Duration;

import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.dispatch.RequeueBackOff;
import io.eventlistener.method.EventObserverHandlerPostProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Handler methods and the requeue back-off come with the listener's dispatcher, follow
 * {@code event-listener.requeue.*}, and give way to the application's own beans.
 * Broker-free: nothing here connects.
 */
class EventHandlingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventHandlingAutoConfiguration.class))
		.withBean(EventDispatcher.class, () -> mock(EventDispatcher.class));

	@Test
	void findsHandlerMethodsAndBoundsRequeuesWithTheListenersDispatcher() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(EventObserverHandlerPostProcessor.class)
			.hasSingleBean(RequeueBackOff.class));
	}

	@Test
	void backsOffWithoutTheListenersDispatcher() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventHandlingAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventObserverHandlerPostProcessor.class)
				.doesNotHaveBean(RequeueBackOff.class));
	}

	@Test
	void requeueBackOffDefaultsToFiveRequeuesFromOneSecondDoublingUpToThirty() {
		this.runner.run((context) -> {
			RequeueBackOff backOff = context.getBean(RequeueBackOff.class);
			assertThat(backOff.maxRequeues()).isEqualTo(5);
			assertThat(backOff.interval(1)).isEqualTo(Duration.ofSeconds(1));
			assertThat(backOff.interval(2)).isEqualTo(Duration.ofSeconds(2));
			assertThat(backOff.interval(10)).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void requeueBackOffFollowsTheRequeueSettings() {
		this.runner
			.withPropertyValues("event-listener.requeue.max-requeues=2",
					"event-listener.requeue.initial-interval=100ms", "event-listener.requeue.multiplier=3",
					"event-listener.requeue.max-interval=500ms")
			.run((context) -> {
				RequeueBackOff backOff = context.getBean(RequeueBackOff.class);
				assertThat(backOff.maxRequeues()).isEqualTo(2);
				assertThat(backOff.interval(2)).isEqualTo(Duration.ofMillis(300));
				assertThat(backOff.interval(3)).isEqualTo(Duration.ofMillis(500));
			});
	}

	@Test
	void usesTheApplicationsOwnRequeueBackOff() {
		RequeueBackOff own = new RequeueBackOff(0, Duration.ofMillis(1), 1, Duration.ofMillis(1));
		this.runner.withBean(RequeueBackOff.class, () -> own)
			.run((context) -> assertThat(context).getBean(RequeueBackOff.class).isSameAs(own));
	}

	@Test
	void usesTheApplicationsOwnHandlerMethodPostProcessor() {
		this.runner
			.withBean("ownHandlerMethods", EventObserverHandlerPostProcessor.class,
					EventObserverHandlerPostProcessor::new)
			.run((context) -> assertThat(context).hasSingleBean(EventObserverHandlerPostProcessor.class)
				.hasBean("ownHandlerMethods"));
	}

}
