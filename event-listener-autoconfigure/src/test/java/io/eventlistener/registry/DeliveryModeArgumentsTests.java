package io.eventlistener.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import io.eventlistener.DeliveryMode;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * The queue arguments each {@link DeliveryMode} declares, and the refusal of a queue
 * whose mode changed.
 */
class DeliveryModeArgumentsTests {

	private final AmqpAdmin admin = mock(AmqpAdmin.class);

	private final QueueArguments quorum = new QueueArguments(QueueType.QUORUM, 5, null, "app.dead-letter");

	@Test
	void pooledQueuesHaveTheQueueSettingsOrderedOnesASingleActiveConsumerBroadcastOnesAnExpiry() {
		BrokerTopology topology = new BrokerTopology(this.admin, null, 1, Runnable::run, this.quorum);
		topology.setBroadcastExpiry(Duration.ofSeconds(90));

		assertThat(topology.arguments(DeliveryMode.POOL)).isEqualTo(this.quorum.asMap());
		assertThat(topology.arguments(DeliveryMode.ORDERED)).containsAllEntriesOf(this.quorum.asMap())
			.containsEntry("x-single-active-consumer", true)
			.hasSize(this.quorum.asMap().size() + 1);
		assertThat(topology.arguments(DeliveryMode.BROADCAST)).isEqualTo(Map.of("x-expires", 90_000L));
		assertThat(new BrokerTopology(this.admin).arguments(DeliveryMode.POOL)).isEmpty();
	}

	@Test
	void anOrderedQueueIsDeclaredDurableWithItsArguments() {
		new BrokerTopology(this.admin).declare("app.company.1", "events", List.of(), DeliveryMode.ORDERED);

		ArgumentCaptor<Queue> queue = ArgumentCaptor.forClass(Queue.class);
		then(this.admin).should().declareQueue(queue.capture());
		assertThat(queue.getValue().isDurable()).isTrue();
		assertThat(queue.getValue().getArguments()).isEqualTo(Map.of("x-single-active-consumer", true));
	}

	@Test
	void aQueueWhoseModeChangedIsRefusedNamingTheMode() {
		// what the broker answers a queue.declare (class 50, method 10) that disagrees
		ShutdownSignalException refusal = new ShutdownSignalException(false, false,
				new AMQImpl.Channel.Close(406,
						"PRECONDITION_FAILED - inequivalent arg 'x-single-active-consumer' for queue 'app.company.1' "
								+ "in vhost '/': received 'true' but current is 'none'",
						50, 10),
				null);
		given(this.admin.declareQueue(any(Queue.class))).willThrow(new AmqpIOException(new IOException(refusal)));

		assertThatExceptionOfType(QueueArgumentsMismatchException.class)
			.isThrownBy(() -> new BrokerTopology(this.admin).declare("app.company.1", "events", List.of(),
					DeliveryMode.ORDERED))
			.withMessageContaining("(classic {x-single-active-consumer=true}, delivery ORDERED)")
			.withMessageContaining("inequivalent arg 'x-single-active-consumer'");
	}

}
