package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.ErrorBudgetExhaustedEvent;
import io.eventlistener.lifecycle.ErrorLimitAction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An exhausted error budget is announced as an {@link ErrorBudgetExhaustedEvent}, once,
 * and the policy listening to it stops the listener, then reports liveness BROKEN (the
 * default), exits with status 1 (through a recording exit here, not the test JVM's) or
 * stays up.
 */
class ErrorLimitShutdownTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class))
		.withUserConfiguration(Budget.class);

	@Test
	void exhaustedBudgetIsAnnouncedOnceAndTheExitPolicyStopsTheListener() {
		this.runner.withPropertyValues("action=STOP").run((context) -> {
			ErrorBudget budget = context.getBean(ErrorBudget.class);
			Budget config = context.getBean(Budget.class);
			live(context);
			budget.record(new IllegalStateException("1"));
			assertThat(config.events).isEmpty();
			budget.record(new IllegalStateException("2"));
			budget.record(new IllegalStateException("3"));
			assertThat(config.events).singleElement().satisfies((event) -> {
				assertThat(event.getBudget()).isSameAs(budget);
				assertThat(event.getErrors()).isEqualTo(2);
				assertThat(event.getLastError()).hasMessage("2");
			});
			await().untilAsserted(() -> assertThat(config.stopped).isTrue());
			assertThat(context.getBean(ApplicationAvailability.class).getLivenessState())
				.isEqualTo(LivenessState.CORRECT);
			assertThat(config.exitStatus).hasValue(-1);
		});
	}

	@Test
	void byDefaultStopsConsumingAndReportsLivenessBroken() {
		assertThat(new EventListenerProperties().getError().getOnLimit()).isEqualTo(ErrorLimitAction.BROKEN);
		this.runner.withPropertyValues("action=BROKEN").run((context) -> {
			Budget config = context.getBean(Budget.class);
			live(context);
			exhaust(context.getBean(ErrorBudget.class));
			await().untilAsserted(() -> assertThat(context.getBean(ApplicationAvailability.class).getLivenessState())
				.isEqualTo(LivenessState.BROKEN));
			assertThat(config.stopped).isTrue();
			assertThat(config.exitStatus).hasValue(-1);
			assertThat(context.isActive()).isTrue();
		});
	}

	@Test
	void exitClosesTheContextAndExitsWithStatusOne() {
		this.runner.withPropertyValues("action=EXIT").run((context) -> {
			Budget config = context.getBean(Budget.class);
			live(context);
			exhaust(context.getBean(ErrorBudget.class));
			// the test's exit records the status instead of ending the JVM
			await().untilAsserted(() -> assertThat(config.exitStatus).hasValue(1));
			assertThat(config.stopped).isTrue();
			assertThat(context.isActive()).isFalse();
			assertThat(config.exitThread.get()).startsWith("event-listener-error-limit-");
		});
	}

	/** As a SpringApplication says once started: the runner's context starts unset. */
	private static void live(ApplicationContext context) {
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		assertThat(context.getBean(ApplicationAvailability.class).getLivenessState()).isEqualTo(LivenessState.CORRECT);
	}

	private static void exhaust(ErrorBudget budget) {
		budget.record(new IllegalStateException("1"));
		budget.record(new IllegalStateException("2"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Budget {

		final List<ErrorBudgetExhaustedEvent> events = new CopyOnWriteArrayList<>();

		final AtomicBoolean stopped = new AtomicBoolean();

		final AtomicInteger exitStatus = new AtomicInteger(-1);

		final AtomicReference<String> exitThread = new AtomicReference<>("");

		@Bean
		ErrorBudget errorBudget(ConfigurableApplicationContext context) {
			return new ErrorBudget(2, Duration.ofHours(1), Clock.systemUTC(), context);
		}

		@Bean
		ErrorLimitShutdown errorLimitShutdown(ConfigurableApplicationContext context, Environment environment) {
			Lifecycle listener = new Lifecycle() {

				@Override
				public void start() {
				}

				@Override
				public void stop() {
					Budget.this.stopped.set(true);
				}

				@Override
				public boolean isRunning() {
					return !Budget.this.stopped.get();
				}

			};
			ErrorLimitAction action = environment.getRequiredProperty("action", ErrorLimitAction.class);
			return new ErrorLimitShutdown(action, () -> listener, context, EventListenerThreads.ofItsOwn("error-limit"),
					(status) -> {
						this.exitThread.set(Thread.currentThread().getName());
						this.exitStatus.set(status);
					});
		}

		@Bean
		ApplicationListener<ErrorBudgetExhaustedEvent> recordsExhaustion() {
			return this.events::add;
		}

	}

}
