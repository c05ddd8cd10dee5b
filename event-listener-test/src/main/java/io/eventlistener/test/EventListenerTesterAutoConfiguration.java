package io.eventlistener.test;

import io.eventlistener.EventPublisher;
import io.eventlistener.observer.ObserverTypes;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link EventListenerTester} and the recorder of published events, imported by
 * {@link AutoConfigureEventListenerTester}.
 */
@AutoConfiguration(afterName = "io.eventlistener.autoconfigure.EventListenerAutoConfiguration")
@ConditionalOnBean({ EventPublisher.class, ObserverTypes.class })
public final class EventListenerTesterAutoConfiguration {

	@Bean
	static PublishedEventsRecorder publishedEventsRecorder() {
		return new PublishedEventsRecorder();
	}

	@Bean
	@ConditionalOnMissingBean
	EventListenerTester eventListenerTester(EventPublisher publisher, ObserverTypes types,
			PublishedEventsRecorder recorder) {
		return new EventListenerTester(publisher, types, recorder.published());
	}

}
