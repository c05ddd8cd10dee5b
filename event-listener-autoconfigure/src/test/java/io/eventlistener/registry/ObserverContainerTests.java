package io.eventlistener.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observer container tells which queue a consumer event is about from Spring AMQP's
 * description of the consumer.
 */
class ObserverContainerTests {

	@Test
	void readsTheQueueOfACancelledConsumer() {
		assertThat(ObserverContainer.queueOf(
				"Consumer SimpleConsumer [queue=app.company.7, index=0, consumerTag=amq.ctag-x identity=1f] canceled"))
			.isEqualTo("app.company.7");
	}

	@Test
	void readsNothingFromAnotherReason() {
		assertThat(ObserverContainer.queueOf("Consumer raised exception, attempting restart")).isNull();
		assertThat(ObserverContainer.queueOf(null)).isNull();
	}

}
