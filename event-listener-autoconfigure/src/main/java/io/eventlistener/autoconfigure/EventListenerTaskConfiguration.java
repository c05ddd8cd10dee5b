package io.eventlistener.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;

/**
 * The starter's threads: one {@link TaskScheduler} for its background work (periodic
 * resync, recovery after a reconnect, the outbox relay, the consumers' timers) and one
 * executor that runs event handlers (every consumer channel hands its deliveries to it).
 * Both are built with Spring Boot's builders, on virtual threads when
 * {@code spring.threads.virtual.enabled=true} (Java 21+), and name their threads for the
 * starter: {@code event-listener-scheduler-N}, {@code event-listener-handler-N}.
 * <p>
 * They are the starter's own, by bean name, not the application's {@code TaskScheduler}
 * or {@code TaskExecutor}: a handler or a resync that blocks on a broker or a database
 * must not hold the application's {@code @Scheduled} or {@code @Async} threads, and the
 * application's tasks must not delay a redelivery. Define a bean named
 * {@value #SCHEDULER_BEAN_NAME} or {@value #HANDLER_EXECUTOR_BEAN_NAME} to replace one.
 * <p>
 * Both accept work until they are destroyed, after the beans that use them: Spring's
 * default (stop taking work when the context begins to close) would refuse the consumers'
 * cancel acknowledgements during the graceful stop.
 * <p>
 * Imported by the auto-configurations whose beans use them, as Boot's
 * {@code RabbitAutoConfiguration} imports its annotation-driven configuration.
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

	@Bean(name = HANDLER_EXECUTOR_BEAN_NAME)
	@ConditionalOnMissingBean(name = HANDLER_EXECUTOR_BEAN_NAME)
	AsyncTaskExecutor eventListenerHandlerExecutor(EventListenerProperties properties, Environment environment) {
		return EventListenerThreads.handlers(properties.getConsumer().threads(), environment);
	}

}
