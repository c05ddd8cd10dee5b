package io.eventlistener.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import io.eventlistener.registry.MultiplexedConsumers;

import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Builds the starter's threads with Spring Boot's builders, virtual when
 * {@code spring.threads.virtual.enabled=true} on Java 21+ (as Boot decides it, so Java 17
 * keeps platform threads), each named {@code event-listener-<role>-N}.
 * <p>
 * Two are shared beans ({@link EventListenerTaskConfiguration}): one
 * {@code TaskScheduler} for background work (periodic resync, recovery after a reconnect,
 * the outbox relay, the consumers' timers) and one executor that runs event handlers.
 * They are the starter's own, by bean name, not the application's: a handler or a resync
 * that blocks on a broker or a database must not hold the application's
 * {@code @Scheduled} or {@code @Async} threads, and the application's tasks must not
 * delay a redelivery. Both accept work until they are destroyed, after the beans that use
 * them: Spring's default (stop taking work when the context begins to close) would refuse
 * the consumers' cancel acknowledgements during the graceful stop.
 */
final class EventListenerThreads {

	/**
	 * Platform threads of the shared scheduler: as many as the background jobs that may
	 * run at once (a resync, an outbox round, the consumers' restarts and
	 * acknowledgements, a recovery).
	 */
	static final int SCHEDULER_POOL_SIZE = 4;

	private static final String PREFIX = "event-listener-";

	private EventListenerThreads() {
	}

	static TaskScheduler scheduler(Environment environment) {
		String prefix = PREFIX + "scheduler-";
		if (Threading.VIRTUAL.isActive(environment)) {
			return new SimpleAsyncTaskSchedulerBuilder().virtualThreads(true).threadNamePrefix(prefix).build();
		}
		return new ThreadPoolTaskSchedulerBuilder().poolSize(SCHEDULER_POOL_SIZE)
			.threadNamePrefix(prefix)
			.customizers((scheduler) -> scheduler.setAcceptTasksAfterContextClose(true))
			.build();
	}

	/**
	 * Build the one executor that runs every observer's handlers.
	 * @param threads platform threads that run handlers; virtual threads are not pooled
	 * (each consumer channel still runs its deliveries one at a time)
	 * @param environment says whether threads are virtual
	 * @return the handler executor
	 */
	static AsyncTaskExecutor handlers(int threads, Environment environment) {
		String prefix = PREFIX + "handler-";
		if (Threading.VIRTUAL.isActive(environment)) {
			return new SimpleAsyncTaskExecutorBuilder().virtualThreads(true).threadNamePrefix(prefix).build();
		}
		return new ThreadPoolTaskExecutorBuilder().corePoolSize(threads)
			.maxPoolSize(threads)
			.threadNamePrefix(prefix)
			.customizers((executor) -> executor.setAcceptTasksAfterContextClose(true))
			.build();
	}

	/**
	 * A small bounded pool of daemon platform threads for set-up work that must not open
	 * a thread per task: consuming queues and reopening channels, one task per channel.
	 * Its threads end when idle, so it needs no shutdown.
	 * @param role names the threads, {@code event-listener-<role>-N}
	 * @param threads the most threads at once
	 * @return the started pool
	 */
	static ThreadPoolTaskExecutor pool(String role, int threads) {
		ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutorBuilder().corePoolSize(threads)
			.maxPoolSize(threads)
			.allowCoreThreadTimeOut(true)
			.keepAlive(Duration.ofSeconds(10))
			.threadNamePrefix(PREFIX + role + "-")
			.customizers((executor) -> executor.setDaemon(true))
			.build();
		pool.initialize();
		return pool;
	}

	/**
	 * The observer consumers' threads: the handlers' executor, a pool as large as the
	 * declaring channels (1 to 16) that consumes queues and reopens channels, a thread
	 * per lost queue, and the shared scheduler.
	 * @param handlers the handlers' executor
	 * @param scheduler the shared scheduler
	 * @param declareChannels {@code event-listener.consumer.declare-channels}
	 * @param environment says whether threads are virtual
	 * @return the threads
	 */
	static MultiplexedConsumers.Threads consumers(Executor handlers, TaskScheduler scheduler, int declareChannels,
			Environment environment) {
		return new MultiplexedConsumers.Threads(handlers, pool("consume", Math.max(1, Math.min(16, declareChannels))),
				perTask("lost-queue", environment), scheduler);
	}

	/**
	 * A thread per task, for short-lived work that must not wait for a pool: declaring
	 * queues in parallel, a consumer shard's start and recovery, an outage probe.
	 * @param role names the threads, {@code event-listener-<role>-N}
	 * @param environment says whether threads are virtual
	 * @return the executor; it holds no threads between tasks, and its threads are daemon
	 * threads (as virtual threads are), so none of them keeps the JVM up
	 */
	static SimpleAsyncTaskExecutor perTask(String role, Environment environment) {
		return new SimpleAsyncTaskExecutorBuilder().virtualThreads(Threading.VIRTUAL.isActive(environment))
			.threadNamePrefix(PREFIX + role + "-")
			.customizers((executor) -> executor.setDaemon(true))
			.build();
	}

	/**
	 * Makes the threads of a bounded pool a library class keeps itself, where the bound
	 * is the point (the publisher's send pool, refusing when full).
	 * @param role names the threads, {@code event-listener-<role>-N}
	 * @return the factory; its threads are platform daemon threads, so none of them keeps
	 * the JVM up
	 */
	static ThreadFactory pooled(String role) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(PREFIX + role + "-");
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * Makes a thread of its own for work that must outlive the starter's pools: the exit
	 * paths close the context, which shuts those pools down, so they cannot run on one.
	 * @param role names the threads, {@code event-listener-<role>-N}
	 * @return the factory; its threads are platform threads, not daemons, as the ones
	 * they replace
	 */
	static ThreadFactory ofItsOwn(String role) {
		return new CustomizableThreadFactory(PREFIX + role + "-");
	}

}
