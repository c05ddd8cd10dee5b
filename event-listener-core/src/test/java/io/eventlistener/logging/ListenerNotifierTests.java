package io.eventlistener.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

class ListenerNotifierTests {

	private final Log log = mock(Log.class);

	private final List<String> heard = new ArrayList<>();

	private final Consumer<String> failing = (event) -> {
		throw new IllegalStateException("listener bug");
	};

	private final Consumer<String> recording = this.heard::add;

	@Test
	void aListenerThatThrowsIsSkippedAndTheOthersStillHear() {
		new ListenerNotifier<Consumer<String>>("TestListener", List.of(this.failing, this.recording), this.log)
			.notify((listener) -> listener.accept("registered"));

		assertThat(this.heard).containsExactly("registered");
	}

	@Test
	void failuresAreOneRateLimitedLineEachWithoutAStackTrace() {
		given(this.log.isWarnEnabled()).willReturn(true);
		ListenerNotifier<Consumer<String>> notifier = new ListenerNotifier<>("TestListener", List.of(this.failing),
				this.log);

		for (int n = 0; n < 100; n++) {
			notifier.notify((listener) -> listener.accept("delivery"));
		}

		then(this.log).should(times(RateLimitedLog.DEFAULT_BURST)).warn(anyString());
		then(this.log).should(times(0)).warn(anyString(), org.mockito.ArgumentMatchers.any(Throwable.class));
	}

}
