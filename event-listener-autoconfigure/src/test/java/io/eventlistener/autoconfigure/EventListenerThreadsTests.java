package io.eventlistener.autoconfigure;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's scheduler and handler executor: named threads, virtual threads when
 * Boot's {@code spring.threads.virtual.enabled} is on and the runtime has them (Java 21+;
 * on Java 17 Boot keeps platform threads, and so does the starter), and an application's
 * own {@code TaskScheduler} left to the application.
 */
class EventListenerThreadsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class)
		// as the auto-configurations import it: after the application's beans
		.withConfiguration(AutoConfigurations.of(EventListenerTaskConfiguration.class));

	@Test
	void threadsSayWhoseTheyAre() {
		this.runner.run((context) -> {
			assertThat(schedulerThread(context).getName()).matches("event-listener-scheduler-\\d+");
			assertThat(handlerThread(context).getName()).matches("event-listener-handler-\\d+");
		});
	}

	@Test
	void threadsHandedToLibraryClassesSayWhoseTheyAre() {
		Thread publisher = EventListenerThreads.pooled("publisher").newThread(() -> {
		});
		assertThat(publisher.getName()).matches("event-listener-publisher-\\d+");
		assertThat(publisher.isDaemon()).isTrue();
		// the exit paths' threads: not daemons, so an exit in progress is not cut short
		Thread exit = EventListenerThreads.ofItsOwn("error-limit").newThread(() -> {
		});
		assertThat(exit.getName()).matches("event-listener-error-limit-\\d+");
		assertThat(exit.isDaemon()).isFalse();
		assertThat(exit.getState()).isEqualTo(Thread.State.NEW);
	}

	@Test
	void threadsAreVirtualWhenBootSaysSo() {
		boolean runtimeHasVirtualThreads = Runtime.version().feature() >= 21;
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			Thread scheduler = schedulerThread(context);
			Thread handler = handlerThread(context);
			assertThat(isVirtual(scheduler)).isEqualTo(runtimeHasVirtualThreads);
			assertThat(isVirtual(handler)).isEqualTo(runtimeHasVirtualThreads);
			assertThat(scheduler.getName()).startsWith("event-listener-scheduler-");
			assertThat(handler.getName()).startsWith("event-listener-handler-");
		});
		this.runner.run((context) -> assertThat(isVirtual(schedulerThread(context))).isFalse());
	}

	@Test
	void theApplicationsSchedulerIsNotUsed() {
		this.runner.withUserConfiguration(ApplicationScheduler.class).run((context) -> {
			assertThat(context.getBean(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME))
				.isNotSameAs(context.getBean("taskScheduler"));
			assertThat(schedulerThread(context).getName()).startsWith("event-listener-scheduler-");
		});
	}

	@Test
	void aBeanOfTheStartersNameReplacesItsScheduler() {
		this.runner.withUserConfiguration(ReplacingScheduler.class)
			.run((context) -> assertThat(schedulerThread(context).getName()).startsWith("replaced-"));
	}

	private static Thread schedulerThread(ApplicationContext context) throws Exception {
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		context.getBean(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME, TaskScheduler.class)
			.schedule(() -> thread.complete(Thread.currentThread()), Instant.now());
		return thread.get(30, TimeUnit.SECONDS);
	}

	private static Thread handlerThread(ApplicationContext context) throws Exception {
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		context.getBean(EventListenerTaskConfiguration.HANDLER_EXECUTOR_BEAN_NAME, TaskExecutor.class)
			.execute(() -> thread.complete(Thread.currentThread()));
		return thread.get(30, TimeUnit.SECONDS);
	}

	private static boolean isVirtual(Thread thread) throws Exception {
		// Thread.isVirtual() is Java 21+; the project compiles for 17
		return Runtime.version().feature() >= 21 && (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EventListenerProperties.class)
	static class Properties {

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationScheduler {

		@Bean
		ThreadPoolTaskScheduler taskScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("application-");
			return scheduler;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReplacingScheduler {

		@Bean(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME)
		ThreadPoolTaskScheduler replacingScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("replaced-");
			return scheduler;
		}

	}

}
