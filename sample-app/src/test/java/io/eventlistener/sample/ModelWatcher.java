package io.eventlistener.sample;

import java.util.List;
import java.util.Set;

import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.registry.ObserverRegistry;

import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Whether the model watcher (which makes a saved subscription live) is part of the
 * library yet, for the tests that need it; and registering a saved subscription directly,
 * as the watcher would, for the tests that only need an observer to be live.
 */
final class ModelWatcher {

	private ModelWatcher() {
	}

	/**
	 * Used by {@code @EnabledIf}: the REST flow tests run as soon as the model watcher is
	 * on the classpath, and must never be disabled after that.
	 * @return whether the model watcher is present
	 */
	static boolean present() {
		return ClassUtils.isPresent("io.eventlistener.watch.ModelChangeReceiver", ModelWatcher.class.getClassLoader());
	}

	/**
	 * Register a saved subscription with the registry, as the model watcher does.
	 * @param context the application
	 * @param subscription the saved subscription
	 */
	static void register(ApplicationContext context, Subscription subscription) {
		ObserverTypes types = context.getBean(ObserverTypes.class);
		context.getBean(ObserverRegistry.class)
			.register(new ObserverDefinition(types.find("Subscription").orElseThrow(), subscription.getId(),
					subscription, null, Set.copyOf(List.copyOf(subscription.getRoutingKeys()))));
	}

}
