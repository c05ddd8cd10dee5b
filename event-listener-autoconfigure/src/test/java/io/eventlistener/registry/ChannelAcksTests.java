package io.eventlistener.registry;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChannelAcks}: which {@code basic.ack}s it sends for deliveries whose handlers
 * return in any order.
 */
class ChannelAcksTests {

	private final List<String> sent = new ArrayList<>();

	private final Channel channel = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { Channel.class }, (proxy, method, args) -> {
				switch (method.getName()) {
					case "basicAck" -> this.sent.add("ack " + args[0] + (((Boolean) args[1]) ? " multiple" : ""));
					case "basicReject" -> this.sent.add("reject " + args[0]);
					default -> throw new UnsupportedOperationException(method.getName());
				}
				return null;
			});

	@Test
	void eachDeliveryIsAcknowledgedAtOnceWithoutBatching() {
		ChannelAcks acks = new ChannelAcks(this.channel, 1, 0);
		acks.delivered(1);
		acks.delivered(2);
		acks.handled(2);
		acks.handled(1);
		assertThat(this.sent).containsExactly("ack 2", "ack 1");
	}

	@Test
	void aContiguousRunIsAcknowledgedOnceWhenTheBatchIsFull() {
		ChannelAcks acks = new ChannelAcks(this.channel, 3, Long.MAX_VALUE);
		for (long tag = 1; tag <= 4; tag++) {
			acks.delivered(tag);
		}
		acks.handled(2);
		acks.handled(1);
		assertThat(this.sent).isEmpty();
		acks.handled(3);
		assertThat(this.sent).containsExactly("ack 3 multiple");
		assertThat(acks.outstanding()).isEqualTo(1);
	}

	@Test
	void neverAcknowledgesPastADeliveryWhoseHandlerHasNotReturned() {
		ChannelAcks acks = new ChannelAcks(this.channel, 3, Long.MAX_VALUE);
		for (long tag = 1; tag <= 5; tag++) {
			acks.delivered(tag);
		}
		// 2 is still being handled
		acks.handled(1);
		acks.handled(3);
		acks.handled(4);
		assertThat(this.sent).containsExactly("ack 1 multiple", "ack 3", "ack 4");
		acks.handled(5);
		acks.flush();
		assertThat(this.sent).containsExactly("ack 1 multiple", "ack 3", "ack 4", "ack 5");
		assertThat(acks.outstanding()).isEqualTo(1);
	}

	@Test
	void rejectedDeliveriesDoNotHoldTheRunBack() {
		ChannelAcks acks = new ChannelAcks(this.channel, 2, Long.MAX_VALUE);
		for (long tag = 1; tag <= 3; tag++) {
			acks.delivered(tag);
		}
		acks.reject(1, true);
		acks.handled(2);
		acks.handled(3);
		assertThat(this.sent).containsExactly("reject 1", "ack 3 multiple");
	}

	@Test
	void waitingAcknowledgementsGoOutWhenTheOldestHasWaitedTheTimeout() {
		ChannelAcks acks = new ChannelAcks(this.channel, 100, 0);
		acks.delivered(1);
		acks.handled(1);
		assertThat(this.sent).isEmpty();
		acks.flushIfDue(System.nanoTime());
		assertThat(this.sent).containsExactly("ack 1 multiple");
	}

}
