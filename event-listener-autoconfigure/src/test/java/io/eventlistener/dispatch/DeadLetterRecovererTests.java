package io.eventlistener.dispatch;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dead-letter headers and log lines say about a delivery, without a broker.
 */
class DeadLetterRecovererTests {

	@Test
	void theStackTraceKeepsEveryCauseWithItsFirstFrames() {
		IllegalStateException root = new IllegalStateException("the database is gone");
		RuntimeException failure = new RuntimeException("handler failed", new IllegalArgumentException("bad", root));
		String trace = DeadLetterRecoverer.boundedStackTrace(failure);
		assertThat(trace).startsWith("java.lang.RuntimeException: handler failed\n")
			.contains("Caused by: java.lang.IllegalArgumentException: bad")
			.contains("Caused by: java.lang.IllegalStateException: the database is gone")
			.contains("\tat io.eventlistener.dispatch.DeadLetterRecovererTests.");
		assertThat(trace.lines().filter((line) -> line.startsWith("\tat ")))
			.hasSizeLessThanOrEqualTo(3 * DeadLetterRecoverer.STACK_FRAMES);
	}

	@Test
	void theStackTraceIsCutAtItsLimitHoweverDeepTheChain() {
		Throwable deep = new IllegalStateException("x".repeat(3_000));
		for (int i = 0; i < 50; i++) {
			deep = new RuntimeException("wrapper " + i, deep);
		}
		assertThat(DeadLetterRecoverer.boundedStackTrace(deep))
			.hasSizeLessThanOrEqualTo(DeadLetterRecoverer.STACK_TRACE_LENGTH)
			.endsWith("...");
	}

	@Test
	void aDeliveryWithoutMessageIdIsNamedByItsDeliveryTag() {
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryTag(42);
		assertThat(DeadLetterRecoverer.messageName(properties)).isEqualTo("delivery tag 42");
		properties.setMessageId("m-1");
		assertThat(DeadLetterRecoverer.messageName(properties)).isEqualTo("message id m-1");
	}

}
