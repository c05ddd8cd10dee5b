package io.eventlistener.autoconfigure;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM handling is a JVM-wide effect: installed when the application is ready, not
 * while beans are created or lifecycles start, and the JVM's previous handler is back
 * once the context is closed.
 */
class SignalExitTests {

	private static final Signal TERM = new Signal("TERM");

	@Test
	void installedWhenReadyAndUndoneOnClose() {
		// sun.misc.Signal wraps handlers anew on every call: compare what they wrap
		String before = currentTermHandler();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WithSignalExit.class)
			.web(WebApplicationType.NONE)
			.run();
		try {
			WithSignalExit config = context.getBean(WithSignalExit.class);
			// when refreshed (lifecycles started) the JVM's handler was still in place
			assertThat(config.handlerWhileStarting.get()).isEqualTo(before);
			assertThat(context.getBean(SignalExit.class).isInstalled()).isTrue();
			assertThat(currentTermHandler()).isNotEqualTo(before);
		}
		finally {
			context.close();
		}
		assertThat(currentTermHandler()).isEqualTo(before);
	}

	private static String currentTermHandler() {
		// Signal has no getter: swap in the default for a moment and put it back
		SignalHandler current = Signal.handle(TERM, SignalHandler.SIG_DFL);
		Signal.handle(TERM, current);
		return current.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class WithSignalExit {

		final AtomicReference<String> handlerWhileStarting = new AtomicReference<>();

		@Bean
		SignalExit signalExit() {
			return new SignalExit(() -> true, EventListenerThreads.ofItsOwn("signal-exit"));
		}

		@Bean
		ApplicationListener<ContextRefreshedEvent> recordsTheHandlerWhenRefreshed() {
			// refreshed: every bean made and every lifecycle started, not yet ready
			return (event) -> this.handlerWhileStarting.set(currentTermHandler());
		}

	}

}
