package io.eventlistener.audit;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.eventlistener.DeliveryMode;
import io.eventlistener.EventObserver;
import io.eventlistener.audit.BrokerBindings.QueueBinding;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.observer.TestObserverTypes;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.watch.ObserverSynchronizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * The binding audit on a broadcast type's queues: this instance's copies are audited
 * against its observers, other instances' copies are left to them.
 */
class BroadcastBindingAuditTests {

	@Test
	void onlyThisInstancesCopiesAreAuditedAgainstItsObservers() {
		ObserverType<Cache> type = TestObserverTypes.longId("Cache", Cache.class, DeliveryMode.BROADCAST);
		ObserverRegistry registry = mock(ObserverRegistry.class);
		ObserverKey key = new ObserverKey("Cache", "1");
		given(registry.find(any())).willReturn(Optional.empty());
		given(registry.find(key)).willReturn(Optional
			.of(new ObserverRegistration(key, type, new Cache(), "app.cache.1.a", "events", Set.of("kept.#"))));
		BrokerBindings broker = (prefix) -> List.of(new QueueBinding("app.cache.1.a", "events", "kept.#"),
				new QueueBinding("app.cache.1.a", "events", "stray.#"),
				new QueueBinding("app.cache.1.b", "events", "other.#"));
		BindingAudit audit = new BindingAudit(registry, new ObserverTypes(List.of(type)), new QueueNames("app", "a"),
				broker, mock(BrokerTopology.class));

		assertThat(audit.strayBindings()).extracting(StrayBinding::queue, StrayBinding::routingKey)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("app.cache.1.a", "stray.#"));
	}

	@Test
	void auditingAtEveryResyncRemovesTheStrayBindingsAfterEachResyncOnlyWhenToldTo() {
		ObserverType<Cache> type = TestObserverTypes.longId("Cache", Cache.class, DeliveryMode.BROADCAST);
		ObserverRegistry registry = mock(ObserverRegistry.class);
		given(registry.find(any())).willReturn(Optional.empty());
		BrokerBindings broker = (prefix) -> List.of(new QueueBinding("app.cache.1.a", "events", "stray.#"));
		BrokerTopology topology = mock(BrokerTopology.class);
		ObserverSynchronizer.Synchronization resync = new ObserverSynchronizer.Synchronization(0, 0, 0, 1, 0);
		ObserverTypes types = new ObserverTypes(List.of(type));

		new BindingAudit(registry, types, new QueueNames("app", "a"), broker, topology).resynchronised(resync);
		new BindingAudit(registry, types, new QueueNames("app", "a"), broker, topology).auditAtEveryResync(false)
			.resynchronised(resync);
		then(topology).shouldHaveNoInteractions();

		new BindingAudit(registry, types, new QueueNames("app", "a"), broker, topology).auditAtEveryResync(true)
			.resynchronised(resync);
		then(topology).should().unbind("app.cache.1.a", "events", List.of("stray.#"));
	}

	static class Cache implements EventObserver {

		@Override
		public List<String> getRoutingKeys() {
			return List.of();
		}

	}

}
