package io.eventlistener.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverKey;

/**
 * The observers this process consumes for (isimud's {@code register_observer} and
 * {@code unregister_observer}), kept in step with the broker: a registered observer has a
 * declared, bound and consumed queue.
 */
public interface ObserverRegistry {

	/**
	 * Register an observer, or bring a registered one up to date: routing keys added
	 * since are bound, removed ones unbound. The queue, its waiting messages and its
	 * consumer stay.
	 * @param definition the observer as it is now
	 * @return the registration
	 */
	ObserverRegistration register(ObserverDefinition definition);

	/**
	 * Register many observers at once, as {@link #register} does one by one; for loading
	 * the active observers at start-up and for resyncing. Implementations may declare the
	 * new observers' queues in bulk.
	 * @param definitions the observers as they are now
	 * @return their registrations
	 * @throws ObserverRegistrationException if some could not be registered (the others
	 * are); an observer whose queue exists with other arguments is not one of them, it is
	 * only {@link #refused() refused}
	 */
	default List<ObserverRegistration> registerAll(Collection<ObserverDefinition> definitions) {
		return definitions.stream().map(this::register).toList();
	}

	/**
	 * Stop consuming for an observer.
	 * @param key the observer's key
	 * @param retention whether its queue is deleted or kept
	 * @return the removed registration, or empty if it was not registered
	 */
	Optional<ObserverRegistration> unregister(ObserverKey key, QueueRetention retention);

	Optional<ObserverRegistration> find(ObserverKey key);

	/**
	 * Find the observer consuming a queue, on the delivery hot path.
	 * @param queueName the queue name
	 * @return the registration, or empty
	 */
	Optional<ObserverRegistration> findByQueue(String queueName);

	Collection<ObserverRegistration> registrations();

	/**
	 * Observers that are not registered because their queues exist on the broker with
	 * another type or other arguments ({@link QueueArgumentsMismatchException}); they are
	 * tried again by every resync.
	 * @return each such observer's queue name, by observer
	 */
	default Map<ObserverKey, String> refused() {
		return Map.of();
	}

}
