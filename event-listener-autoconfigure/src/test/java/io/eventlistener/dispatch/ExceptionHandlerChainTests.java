package io.eventlistener.dispatch;

import java.util.ArrayList;
import java.util.List;

import io.eventlistener.Event;
import io.eventlistener.EventExceptionHandler;
import io.eventlistener.EventFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionHandlerChainTests {

	private final List<String> ran = new ArrayList<>();

	private final EventFailure failure = new EventFailure("q", null, Event.builder().build(), 1,
			new IllegalStateException("boom"));

	@Test
	void everyHandlerRunsEvenAfterANoVote() {
		ExceptionHandlerChain chain = new ExceptionHandlerChain(
				List.of(voting("first", false), voting("second", true), throwing("third"), voting("fourth", true)),
				RetryMode.VOTE);
		assertThat(chain.retry(this.failure)).isFalse();
		assertThat(this.ran).containsExactly("first", "second", "third", "fourth");
	}

	@Test
	void voteRetriesOnlyWhenEveryHandlerSaysYes() {
		assertThat(new ExceptionHandlerChain(List.of(voting("a", true), voting("b", true)), RetryMode.VOTE)
			.retry(this.failure)).isTrue();
		assertThat(new ExceptionHandlerChain(List.of(voting("a", true), throwing("b")), RetryMode.VOTE)
			.retry(this.failure)).isFalse();
		assertThat(new ExceptionHandlerChain(List.of(), RetryMode.VOTE).retry(this.failure)).isTrue();
	}

	@Test
	void alwaysAndNeverIgnoreTheVotesButStillRunTheHandlers() {
		assertThat(new ExceptionHandlerChain(List.of(voting("a", false)), RetryMode.ALWAYS).retry(this.failure))
			.isTrue();
		assertThat(new ExceptionHandlerChain(List.of(voting("b", true)), RetryMode.NEVER).retry(this.failure))
			.isFalse();
		assertThat(this.ran).containsExactly("a", "b");
	}

	private EventExceptionHandler voting(String name, boolean vote) {
		return (failure) -> {
			this.ran.add(name);
			return vote;
		};
	}

	private EventExceptionHandler throwing(String name) {
		return (failure) -> {
			this.ran.add(name);
			throw new IllegalArgumentException("handler " + name + " broke");
		};
	}

}
