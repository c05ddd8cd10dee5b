package io.eventlistener.watch;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.QueueArgumentsMismatchException;
import io.eventlistener.registry.QueueRetention;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Brings the {@link ObserverRegistry} in line with the database: for one row when a
 * model-watcher message says it changed ({@link #refresh}), or for every row
 * ({@link #synchronize}, isimud's {@code synchronize}). The database is the truth, a
 * message only says where to look:
 * <ul>
 * <li>an enabled row is registered, or its bindings are changed to its routing keys (the
 * queue, its waiting messages and its consumer stay);
 * <li>a disabled row is unregistered and its queue kept, unbound, with its waiting
 * messages, for when it is enabled again;
 * <li>a row that is gone is unregistered and its queue deleted, unless
 * {@code deleteQueuesOfDeletedRows} is off.
 * </ul>
 * Both operations hold one lock, so a refresh never interleaves with a resynchronisation
 * and a stale read can never overwrite a newer one.
 */
public class ObserverSynchronizer {

	private static final Log logger = LogFactory.getLog(ObserverSynchronizer.class);

	private final ObserverTypes types;

	private final ActiveObserverLoader loader;

	private final ObserverRegistry registry;

	private final QueueNames queueNames;

	private final BrokerTopology topology;

	private final boolean deleteQueuesOfDeletedRows;

	private final List<ModelWatcherListener> listeners;

	private final Object lock = new Object();

	/**
	 * @param types the observer types
	 * @param loader reads the rows
	 * @param registry the registry to keep in line
	 * @param queueNames names observer queues
	 * @param topology deletes the queue of a deleted row that was not registered here
	 * @param deleteQueuesOfDeletedRows whether a deleted row's queue is deleted (isimud)
	 * or kept
	 * @param listeners hear about each resynchronisation
	 */
	public ObserverSynchronizer(ObserverTypes types, ActiveObserverLoader loader, ObserverRegistry registry,
			QueueNames queueNames, BrokerTopology topology, boolean deleteQueuesOfDeletedRows,
			List<ModelWatcherListener> listeners) {
		this.types = types;
		this.loader = loader;
		this.registry = registry;
		this.queueNames = queueNames;
		this.topology = topology;
		this.deleteQueuesOfDeletedRows = deleteQueuesOfDeletedRows;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Re-read one row and apply it to the registry.
	 * @param type the observer type
	 * @param id the row's id
	 * @return what changed
	 */
	public ModelChangeOutcome refresh(ObserverType<?> type, Object id) {
		synchronized (this.lock) {
			Optional<ObserverDefinition> row = this.loader.load(type, id);
			if (row.isPresent() && row.get().observer().isListenerEnabled()) {
				return register(row.get());
			}
			return unregister(type, id, row.isPresent());
		}
	}

	/**
	 * Reload every active observer and apply the whole difference to the registry:
	 * register the new, rebind the changed, unregister those whose rows are disabled or
	 * gone. Call it after the broker connection was re-established or on a schedule, to
	 * repair changes whose model-watcher messages were missed.
	 * @return how many observers each outcome had
	 */
	public Synchronization synchronize() {
		try {
			Synchronization synchronization = synchronizeAll();
			ModelWatcherListeners.notify(this.listeners, (listener) -> listener.resynchronised(synchronization));
			return synchronization;
		}
		catch (RuntimeException ex) {
			ModelWatcherListeners.notify(this.listeners, (listener) -> listener.resynchronisationFailed(ex));
			throw ex;
		}
	}

	private Synchronization synchronizeAll() {
		synchronized (this.lock) {
			Synchronization.Builder result = new Synchronization.Builder();
			Set<ObserverKey> active = new HashSet<>();
			for (ObserverType<?> type : this.types.all()) {
				this.loader.forEachActive(type, (definition) -> {
					active.add(definition.key());
					result.add(register(definition));
				});
			}
			for (ObserverRegistration registration : this.registry.registrations()) {
				if (!active.contains(registration.key())) {
					ObserverType<?> type = registration.type();
					result.add(refresh(type, type.parseId(registration.key().id())));
				}
			}
			Synchronization synchronization = result.build();
			logger.info("Resynchronised observers with the database: " + synchronization);
			return synchronization;
		}
	}

	private ModelChangeOutcome register(ObserverDefinition definition) {
		Optional<ObserverRegistration> previous = this.registry.find(definition.key());
		ObserverRegistration current;
		try {
			current = this.registry.register(definition);
		}
		catch (QueueArgumentsMismatchException ex) {
			// the registry logged it once and reports it as refused; one queue that
			// disagrees must not stop the others from being resynchronised
			return ModelChangeOutcome.UNCHANGED;
		}
		if (previous.isEmpty()) {
			return ModelChangeOutcome.REGISTERED;
		}
		boolean sameBindings = previous.get().exchange().equals(current.exchange())
				&& previous.get().routingKeys().equals(current.routingKeys());
		return sameBindings ? ModelChangeOutcome.UNCHANGED : ModelChangeOutcome.UPDATED;
	}

	private ModelChangeOutcome unregister(ObserverType<?> type, Object id, boolean rowExists) {
		boolean delete = !rowExists && this.deleteQueuesOfDeletedRows;
		QueueRetention retention = delete ? QueueRetention.DELETE : QueueRetention.KEEP;
		if (this.registry.unregister(type.key(id), retention).isPresent()) {
			return ModelChangeOutcome.UNREGISTERED;
		}
		if (delete) {
			// registered by no one here (it was disabled, or never seen): its queue may
			// still be on the broker, and its row is gone for good
			this.topology.delete(this.queueNames.observerQueue(type, id));
		}
		return ModelChangeOutcome.UNCHANGED;
	}

	/**
	 * What a resynchronisation did.
	 *
	 * @param registered observers newly registered
	 * @param updated observers rebound
	 * @param unregistered observers unregistered
	 * @param unchanged observers already in line
	 */
	public record Synchronization(int registered, int updated, int unregistered, int unchanged) {

		static final class Builder {

			private final int[] counts = new int[ModelChangeOutcome.values().length];

			void add(ModelChangeOutcome outcome) {
				this.counts[outcome.ordinal()]++;
			}

			Synchronization build() {
				return new Synchronization(this.counts[ModelChangeOutcome.REGISTERED.ordinal()],
						this.counts[ModelChangeOutcome.UPDATED.ordinal()],
						this.counts[ModelChangeOutcome.UNREGISTERED.ordinal()],
						this.counts[ModelChangeOutcome.UNCHANGED.ordinal()]);
			}

		}

	}

}
