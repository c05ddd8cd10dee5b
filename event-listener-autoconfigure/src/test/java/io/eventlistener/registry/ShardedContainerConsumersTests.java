package io.eventlistener.registry;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * How queues are spread over shards, without a broker: the containers are mocks.
 */
class ShardedContainerConsumersTests {

	private final List<DirectMessageListenerContainer> made = new ArrayList<>();

	private final ShardedContainerConsumers consumers = new ShardedContainerConsumers((index) -> {
		DirectMessageListenerContainer container = mock(DirectMessageListenerContainer.class);
		this.made.add(container);
		return container;
	}, 2);

	@Test
	void fillsEachShardUpToItsLimitBeforeMakingTheNext() {
		this.consumers.consumeAll(List.of("q1", "q2", "q3", "q4", "q5"));
		this.consumers.awaitShards();

		assertThat(this.consumers.shardCount()).isEqualTo(3);
		assertThat(this.consumers.queueCount()).isEqualTo(5);
		verify(this.made.get(0)).addQueueNames("q1", "q2");
		verify(this.made.get(1)).addQueueNames("q3", "q4");
		verify(this.made.get(2)).addQueueNames("q5");
	}

	@Test
	void consumingAQueueTwiceAddsItOnce() {
		this.consumers.consume("q1");
		this.consumers.consumeAll(List.of("q1", "q2"));
		this.consumers.awaitShards();

		assertThat(this.consumers.queueCount()).isEqualTo(2);
		verify(this.made.get(0)).addQueueNames("q1");
		verify(this.made.get(0)).addQueueNames("q2");
	}

	@Test
	void aCancelledQueueFreesRoomInItsShard() {
		this.consumers.consumeAll(List.of("q1", "q2", "q3"));
		this.consumers.cancel("q1");
		this.consumers.consume("q4");
		this.consumers.awaitShards();

		verify(this.made.get(0)).removeQueueNames("q1");
		verify(this.made.get(0)).addQueueNames("q4");
		assertThat(this.consumers.shardCount()).isEqualTo(2);
		assertThat(this.consumers.queueCount()).isEqualTo(3);
	}

	@Test
	void aShardMadeWhileRunningStartsAtOnce() {
		this.consumers.consumeAll(List.of("q1", "q2"));
		this.consumers.start();
		verify(this.made.get(0)).start();

		this.consumers.consume("q3");
		this.consumers.awaitShards();

		verify(this.made.get(1)).start();
		assertThat(this.consumers.isRunning()).isTrue();
		assertThat(this.consumers.isAutoStartup()).isFalse();
	}

	@Test
	void startingWithoutQueuesMakesTheFirstShard() {
		this.consumers.start();

		assertThat(this.consumers.shardCount()).isOne();
		verify(this.made.get(0)).start();
	}

	@Test
	void stopRunsTheCallbackOnceEveryShardStopped() {
		this.consumers.consumeAll(List.of("q1", "q2", "q3"));
		this.consumers.start();
		List<Runnable> shardCallbacks = new ArrayList<>();
		this.made.forEach((container) -> org.mockito.BDDMockito.willAnswer((invocation) -> {
			shardCallbacks.add(invocation.getArgument(0));
			return null;
		}).given(container).stop(org.mockito.ArgumentMatchers.any(Runnable.class)));
		List<String> stopped = new ArrayList<>();

		this.consumers.stop(() -> stopped.add("all"));
		shardCallbacks.get(0).run();
		assertThat(stopped).isEmpty();
		shardCallbacks.get(1).run();

		assertThat(stopped).containsExactly("all");
		assertThat(this.consumers.isRunning()).isFalse();
	}

	@Test
	void eachShardDoesItsWorkInOrder() {
		this.consumers.start();
		this.consumers.consumeAll(List.of("q1"));
		this.consumers.cancel("q1");

		org.mockito.InOrder order = org.mockito.Mockito.inOrder(this.made.get(0));
		order.verify(this.made.get(0)).start();
		order.verify(this.made.get(0)).addQueueNames("q1");
		order.verify(this.made.get(0)).removeQueueNames("q1");
	}

	@Test
	void cancellingAnUnknownQueueDoesNothing() {
		this.consumers.consume("q1");
		this.consumers.cancel("other");

		verify(this.made.get(0), never()).removeQueueNames("other");
		assertThat(this.consumers.queueCount()).isOne();
	}

}
