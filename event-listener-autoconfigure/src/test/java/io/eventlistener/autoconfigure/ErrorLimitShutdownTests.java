package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.ErrorBudgetExhaustedEvent;
import io.eventlistener.lifecycle.ErrorLimitAction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An exhausted error budget is announced as an {@link ErrorBudgetExhaustedEvent}, once,
 * and the exit policy listening to it stops the listener.
 */
class ErrorLimitShutdownTests {

	@Test
	void exhaustedBudgetIsAnnouncedOnceAndTheExitPolicyStopsTheListener() {
		new ApplicationContextRunner().withUserConfiguration(Budget.class).run((context) -> {
			ErrorBudget budget = context.getBean(ErrorBudget.class);
			Budget config = context.getBean(Budget.class);
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
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Budget {

		final List<ErrorBudgetExhaustedEvent> events = new CopyOnWriteArrayList<>();

		final AtomicBoolean stopped = new AtomicBoolean();

		@Bean
		ErrorBudget errorBudget(ConfigurableApplicationContext context) {
			return new ErrorBudget(2, Duration.ofHours(1), Clock.systemUTC(), context);
		}

		@Bean
		ErrorLimitShutdown errorLimitShutdown(ConfigurableApplicationContext context) {
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
			return new ErrorLimitShutdown(ErrorLimitAction.STOP, () -> listener, context);
		}

		@Bean
		ApplicationListener<ErrorBudgetExhaustedEvent> recordsExhaustion() {
			return this.events::add;
		}

	}

}
