package io.eventlistener.test;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link EventPublisher} bean so that each event it published (the broker
 * confirmed it) is recorded for {@link EventListenerTester#published()}.
 */
public class PublishedEventsRecorder implements BeanPostProcessor {

	private final Recording<Event> published = new Recording<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof EventPublisher publisher) {
			return (EventPublisher) (event) -> {
				publisher.publish(event);
				this.published.add(event);
			};
		}
		return bean;
	}

	/**
	 * The events published so far.
	 * @return the recording
	 */
	public Recording<Event> published() {
		return this.published;
	}

}
