package io.eventlistener.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventObserver;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.observer.TestObserverTypes;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * The registry's own rules, with the broker and the consumers mocked: what it declares,
 * binds, consumes and tells its listeners, and in which order.
 */
class DefaultObserverRegistryTests {

	private static final ObserverType<Hook> HOOK = TestObserverTypes.longId("Hook", Hook.class);

	private final BrokerTopology topology = mock(BrokerTopology.class);

	private final ObserverConsumers consumers = mock(ObserverConsumers.class);

	private final List<String> heard = new ArrayList<>();

	private final DefaultObserverRegistry registry = new DefaultObserverRegistry(new QueueNames("app"), "events",
			this.topology, this.consumers, List.of(new ObserverRegistryListener() {

				@Override
				public void registered(ObserverRegistration registration) {
					DefaultObserverRegistryTests.this.heard.add("registered " + registration.queueName());
				}

				@Override
				public void rebound(ObserverRegistration previous, ObserverRegistration current) {
					DefaultObserverRegistryTests.this.heard
						.add("rebound " + previous.routingKeys() + " -> " + current.routingKeys());
				}

				@Override
				public void unregistered(ObserverRegistration registration, QueueRetention retention) {
					DefaultObserverRegistryTests.this.heard.add("unregistered " + retention);
				}

			}));

	@Test
	void aNewObserverIsDeclaredBoundThenConsumedAndFoundByItsQueue() {
		this.registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "a.#"));

		InOrder order = inOrder(this.topology, this.consumers);
		order.verify(this.topology).declare("app.hook.7", "events", Set.of("a.#"), DeliveryMode.POOL);
		order.verify(this.consumers).consume("app.hook.7");
		assertThat(this.registry.findByQueue("app.hook.7"))
			.hasValueSatisfying((registration) -> assertThat(registration.key()).isEqualTo(HOOK.key(7L)));
		assertThat(this.heard).containsExactly("registered app.hook.7");
	}

	@Test
	void changedKeysAreBoundBeforeTheRemovedOnesAreUnboundAndTheQueueStays() {
		this.registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "kept", "old"));
		this.registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "kept", "new"));

		InOrder order = inOrder(this.topology);
		order.verify(this.topology).bind("app.hook.7", "events", Set.of("new"));
		order.verify(this.topology).unbind("app.hook.7", "events", Set.of("old"));
		then(this.topology).should(never()).delete(anyString());
		then(this.consumers).should().consume("app.hook.7");
		assertThat(this.heard).hasSize(2).last().asString().startsWith("rebound");
		assertThat(this.registry.find(HOOK.key(7L))).hasValueSatisfying(
				(registration) -> assertThat(registration.routingKeys()).containsExactlyInAnyOrder("kept", "new"));
	}

	@Test
	void registeringTheSameKeysAgainChangesNothingAndTellsNoOne() {
		this.registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "a"));
		this.registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "a"));

		then(this.topology).should(never()).unbind(anyString(), anyString(), eq(Set.of("a")));
		assertThat(this.heard).containsExactly("registered app.hook.7");
	}

	@Test
	void unregisteringCancelsTheConsumerBeforeTheQueueIsUnboundAndKept() {
		this.registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "a"));

		assertThat(this.registry.unregister(HOOK.key(7L), QueueRetention.KEEP)).isPresent();

		InOrder order = inOrder(this.consumers, this.topology);
		order.verify(this.consumers).cancel("app.hook.7");
		order.verify(this.topology).unbind("app.hook.7", "events", Set.of("a"));
		then(this.topology).should(never()).delete(anyString());
		assertThat(this.registry.find(HOOK.key(7L))).isEmpty();
		assertThat(this.registry.findByQueue("app.hook.7")).isEmpty();
		assertThat(this.heard).last().isEqualTo("unregistered KEEP");
	}

	@Test
	void unregisteringWithDeleteDeletesTheQueue() {
		this.registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "a"));

		this.registry.unregister(HOOK.key(7L), QueueRetention.DELETE);

		then(this.topology).should().delete("app.hook.7");
		then(this.topology).should(never()).unbind(anyString(), anyString(), anyCollection());
	}

	@Test
	void anObserverNotRegisteredIsNotUnregistered() {
		assertThat(this.registry.unregister(HOOK.key(8L), QueueRetention.DELETE)).isEmpty();
		then(this.consumers).should(never()).cancel(any());
		then(this.topology).shouldHaveNoInteractions();
		assertThat(this.heard).isEmpty();
	}

	@Test
	void aListenerThatThrowsNeitherBreaksTheChangeNorSilencesTheOthers() {
		List<String> heard = new ArrayList<>();
		ObserverRegistryListener failing = new ObserverRegistryListener() {

			@Override
			public void registered(ObserverRegistration registration) {
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void unregistered(ObserverRegistration registration, QueueRetention retention) {
				throw new IllegalStateException("listener bug");
			}

		};
		ObserverRegistryListener recording = new ObserverRegistryListener() {

			@Override
			public void registered(ObserverRegistration registration) {
				heard.add("registered " + registration.queueName());
			}

			@Override
			public void unregistered(ObserverRegistration registration, QueueRetention retention) {
				heard.add("unregistered " + registration.queueName());
			}

		};
		DefaultObserverRegistry registry = new DefaultObserverRegistry(new QueueNames("app"), "events", this.topology,
				this.consumers, List.of(failing, recording));

		registry.register(TestObserverTypes.definition(HOOK, 7, new Hook(), "a"));
		registry.registerAll(List.of(TestObserverTypes.definition(HOOK, 8, new Hook(), "b")));
		assertThat(registry.registrations()).hasSize(2);
		assertThat(registry.unregister(HOOK.key(7L), QueueRetention.KEEP)).isPresent();

		assertThat(registry.find(HOOK.key(7L))).isEmpty();
		assertThat(registry.find(HOOK.key(8L))).isPresent();
		assertThat(heard).containsExactly("registered app.hook.7", "registered app.hook.8", "unregistered app.hook.7");
	}

	static class Hook implements EventObserver {

		@Override
		public List<String> getRoutingKeys() {
			return List.of();
		}

	}

}
