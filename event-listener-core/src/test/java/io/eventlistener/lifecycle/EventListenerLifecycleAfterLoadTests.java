package io.eventlistener.lifecycle;

import java.util.ArrayList;
import java.util.List;

import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

/**
 * A consumer handed to {@link EventListenerLifecycle#consumeAfterLoad} (the model
 * watcher's) starts only once the active observers are loaded, and stops before the
 * listener's own consumers.
 */
class EventListenerLifecycleAfterLoadTests {

	private final ObserverConsumers consumers = mock(ObserverConsumers.class,
			withSettings().extraInterfaces(SmartLifecycle.class));

	private final EventListenerLifecycle lifecycle = new EventListenerLifecycle(new ObserverTypes(List.of()),
			mock(ActiveObserverLoader.class), mock(ObserverRegistry.class), mock(BrokerTopology.class), "events",
			List.of(), this.consumers);

	private final Lifecycle watcher = mock(Lifecycle.class);

	@Test
	void aBlockingStartStartsTheConsumerAfterTheLoadAndStoppingStopsItFirst() {
		this.lifecycle.consumeAfterLoad(this.watcher);

		this.lifecycle.start();
		InOrder starting = inOrder(this.consumers, this.watcher);
		then((SmartLifecycle) this.consumers).should(starting).start();
		then(this.watcher).should(starting).start();

		this.lifecycle.stop();
		InOrder stopping = inOrder(this.consumers, this.watcher);
		then(this.watcher).should(stopping).stop();
		then((SmartLifecycle) this.consumers).should(stopping).stop();
	}

	@Test
	void aBackgroundStartStartsTheConsumerOnceTheLoadHasFinished() {
		List<Runnable> loads = new ArrayList<>();
		this.lifecycle.setBackground(loads::add);
		this.lifecycle.consumeAfterLoad(this.watcher);

		this.lifecycle.start();
		then(this.watcher).shouldHaveNoInteractions();

		loads.forEach(Runnable::run);
		then(this.watcher).should().start();
	}

}
