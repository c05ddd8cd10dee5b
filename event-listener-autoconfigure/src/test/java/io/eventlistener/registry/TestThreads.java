package io.eventlistener.registry;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Daemon threads for {@link MultiplexedConsumers} built by hand in a test, as the
 * starter's auto-configuration would hand them over.
 */
final class TestThreads {

	private TestThreads() {
	}

	static MultiplexedConsumers.Threads create() {
		ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();
		timer.setPoolSize(2);
		timer.setDaemon(true);
		timer.setThreadNamePrefix("test-consumers-timer-");
		timer.initialize();
		return new MultiplexedConsumers.Threads(executor("test-handler-"), executor("test-consume-"),
				executor("test-lost-queue-"), timer);
	}

	private static SimpleAsyncTaskExecutor executor(String prefix) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(prefix);
		executor.setDaemon(true);
		return executor;
	}

}
