package io.eventlistener.autoconfigure;

import io.eventlistener.logging.SuppressedLinesReporter;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;

/**
 * The starter's scheduler and handler executor ({@link EventListenerThreads} says why
 * they are its own). Define a bean named {@value #SCHEDULER_BEAN_NAME} or
 * {@value #HANDLER_EXECUTOR_BEAN_NAME} to replace one. Imported by the
 * auto-configurations whose beans use them.
 */
@Configuration(proxyBeanMethods = false)
final class EventListenerTaskConfiguration {

	/** The name of the starter's scheduler bean. */
	public static final String SCHEDULER_BEAN_NAME = "eventListenerTaskScheduler";

	/** The name of the starter's handler executor bean. */
	public static final String HANDLER_EXECUTOR_BEAN_NAME = "eventListenerHandlerExecutor";

	@Bean(name = SCHEDULER_BEAN_NAME)
	@ConditionalOnMissingBean(name = SCHEDULER_BEAN_NAME)
	TaskScheduler eventListenerTaskScheduler(Environment environment) {
		return EventListenerThreads.scheduler(environment);
	}

	/** Writes the "more like this" line of a flood of bad input once it stopped. */
	@Bean
	@ConditionalOnMissingBean
	SuppressedLinesReporter eventListenerSuppressedLinesReporter(
			@Qualifier(SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
		return new SuppressedLinesReporter(scheduler);
	}

	@Bean(name = HANDLER_EXECUTOR_BEAN_NAME)
	@ConditionalOnMissingBean(name = HANDLER_EXECUTOR_BEAN_NAME)
	AsyncTaskExecutor eventListenerHandlerExecutor(EventListenerProperties properties, Environment environment) {
		return EventListenerThreads.handlers(properties.getConsumer().threads(), environment);
	}

}
