package io.eventlistener.registry;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * What {@link BrokerTopology} asks of the broker, one by one (no connection factory: the
 * pipelined path is covered by the scale integration tests).
 */
class BrokerTopologyTests {

	private final AmqpAdmin admin = mock(AmqpAdmin.class);

	private final BrokerTopology topology = new BrokerTopology(this.admin);

	@Test
	void declaresADurableQueueTheTopicExchangeOnceAndOneBindingPerKey() {
		this.topology.declare("app.company.1", "events", List.of("a.#", "b.*"));
		this.topology.declare("app.company.2", "events", List.of("c"));

		ArgumentCaptor<Queue> queues = ArgumentCaptor.forClass(Queue.class);
		then(this.admin).should(times(2)).declareQueue(queues.capture());
		assertThat(queues.getAllValues()).allSatisfy((queue) -> {
			assertThat(queue.isDurable()).isTrue();
			assertThat(queue.isExclusive()).isFalse();
			assertThat(queue.isAutoDelete()).isFalse();
		});
		ArgumentCaptor<Exchange> exchanges = ArgumentCaptor.forClass(Exchange.class);
		then(this.admin).should(times(1)).declareExchange(exchanges.capture());
		assertThat(exchanges.getValue().getName()).isEqualTo("events");
		assertThat(exchanges.getValue().getType()).isEqualTo("topic");
		ArgumentCaptor<Binding> bindings = ArgumentCaptor.forClass(Binding.class);
		then(this.admin).should(times(3)).declareBinding(bindings.capture());
		assertThat(bindings.getAllValues()).extracting(Binding::getDestination, Binding::getRoutingKey)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("app.company.1", "a.#"),
					org.assertj.core.groups.Tuple.tuple("app.company.1", "b.*"),
					org.assertj.core.groups.Tuple.tuple("app.company.2", "c"));
	}

	@Test
	void exchangesAreDeclaredAgainAfterAReset() {
		this.topology.bind("q", "events", List.of("a"));
		this.topology.reset();
		this.topology.bind("q", "events", List.of("b"));
		then(this.admin).should(times(2)).declareExchange(any());
	}

	@Test
	void bindingNoKeysDeclaresNoExchange() {
		this.topology.bind("q", "events", List.of());
		then(this.admin).should(never()).declareExchange(any());
		then(this.admin).should(never()).declareBinding(any());
	}

	@Test
	void unbindRemovesEachKey() {
		this.topology.unbind("q", "events", List.of("a", "b"));
		then(this.admin).should(times(2)).removeBinding(any());
	}

	@Test
	void aDeleteTheBrokerDidNotDoIsTriedOnceMoreThenThrown() {
		given(this.admin.deleteQueue("q")).willReturn(false, true);
		this.topology.delete("q");
		then(this.admin).should(times(2)).deleteQueue("q");

		given(this.admin.deleteQueue("r")).willReturn(false);
		assertThatExceptionOfType(AmqpIOException.class).isThrownBy(() -> this.topology.delete("r"))
			.withMessageContaining("Could not delete queue r");
	}

	@Test
	void declaringNothingAsksNothing() {
		assertThat(this.topology.declareAll(List.of())).isEqualTo(Map.of());
		then(this.admin).shouldHaveNoInteractions();
	}

}
