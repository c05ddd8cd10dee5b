package io.eventlistener.observer;

import java.util.List;
import java.util.Map;

import io.eventlistener.Delivery;
import io.eventlistener.DeliveryMode;
import io.eventlistener.EventObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How an observer type's {@link DeliveryMode} is chosen (the annotation, then the
 * setting) and how it names the type's queues.
 */
class DeliveryModeSelectionTests {

	@Test
	void theAnnotationChoosesTheModeAndPoolIsTheDefault() {
		assertThat(ObserverTypes.delivery(Broadcast.class)).isEqualTo(DeliveryMode.BROADCAST);
		assertThat(ObserverTypes.delivery(Plain.class)).isEqualTo(DeliveryMode.POOL);
	}

	@Test
	void theSettingWinsOverTheAnnotationWhateverTheCaseOfItsKey() {
		ObserverTypes types = new ObserverTypes(List.of(
				new ObserverType<>("Broadcast", Broadcast.class, "id", Long.class, null, DeliveryMode.BROADCAST),
				TestObserverTypes.longId("Plain", Plain.class)));

		ObserverTypes chosen = types.withDelivery(Map.of("broadcast", DeliveryMode.ORDERED));

		assertThat(chosen.find("Broadcast").orElseThrow().delivery()).isEqualTo(DeliveryMode.ORDERED);
		assertThat(chosen.find("Plain").orElseThrow().delivery()).isEqualTo(DeliveryMode.POOL);
	}

	@Test
	void aSettingForNoObserverTypeFailsNamingTheTypes() {
		ObserverTypes types = new ObserverTypes(List.of(TestObserverTypes.longId("Plain", Plain.class)));

		assertThatIllegalStateException().isThrownBy(() -> types.withDelivery(Map.of("Plane", DeliveryMode.ORDERED)))
			.withMessage("event-listener.delivery.observers.Plane names no observer type; the observer types are "
					+ "[Plain]");
	}

	@Test
	void aBroadcastTypesQueuesAreThisInstancesOwnTheOthersAreShared() {
		QueueNames names = new QueueNames("billing", "pod/7 a");
		ObserverType<Broadcast> broadcast = new ObserverType<>("CacheEntry", Broadcast.class, "id", Long.class, null,
				DeliveryMode.BROADCAST);
		ObserverType<Plain> ordered = new ObserverType<>("Plain", Plain.class, "id", Long.class, null,
				DeliveryMode.ORDERED);

		assertThat(names.instanceId()).isEqualTo("pod_7_a");
		assertThat(names.observerQueue(broadcast, 3)).isEqualTo("billing.cache_entry.3.pod_7_a");
		assertThat(names.observerQueue(ordered, 3)).isEqualTo("billing.plain.3");
		assertThat(names.instanceQueue("billing.cache")).isEqualTo("billing.cache.pod_7_a");
	}

	@Test
	void aRandomInstanceIdIsTheApplicationsNameAndDiffersPerProcess() {
		assertThat(QueueNames.randomInstanceId("billing")).startsWith("billing-")
			.isNotEqualTo(QueueNames.randomInstanceId("billing"));
		assertThat(new QueueNames("billing").instanceId()).startsWith("billing-");
	}

	@Delivery(DeliveryMode.BROADCAST)
	static class Broadcast implements EventObserver {

		@Override
		public List<String> getRoutingKeys() {
			return List.of();
		}

	}

	static class Plain implements EventObserver {

		@Override
		public List<String> getRoutingKeys() {
			return List.of();
		}

	}

}
