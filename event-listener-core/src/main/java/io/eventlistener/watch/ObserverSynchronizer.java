package io.eventlistener.watch;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.eventlistener.logging.ListenerNotifier;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverDefinition;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.BrokerTopology.QueueDeclaration;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.QueueArgumentsMismatchException;
import io.eventlistener.registry.QueueRetention;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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

	private final ListenerNotifier<ModelWatcherListener> listeners;

	private final Object lock = new Object();

	private final RateLimitedLog disagreements = new RateLimitedLog(logger);

	private final RateLimitedLog lostQueues = new RateLimitedLog(logger);

	private final RateLimitedLog resyncFailures = new RateLimitedLog(logger);

	/**
	 * Create a new {@code ObserverSynchronizer}.
	 * @param types the observer types
	 * @param loader reads the rows
	 * @param registry the registry to keep in line
	 * @param queueNames names observer queues
	 * @param topology declares again the queues the broker lost
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
		this.listeners = new ListenerNotifier<>("ModelWatcherListener", listeners, logger);
	}

	/**
	 * Re-read one row and apply it to the registry.
	 * @param type the observer type
	 * @param id the row's id
	 * @return what changed
	 */
	public ModelChangeOutcome refresh(ObserverType<?> type, Object id) {
		synchronized (this.lock) {
			return apply(type, id, this.loader.load(type, id));
		}
	}

	/**
	 * Re-read one row that a model-watcher message says changed, and apply it. When the
	 * row disagrees with the message (a {@code destroy} for a row that exists, a
	 * {@code create} or {@code update} for an id no row has), what the row says is
	 * applied and the disagreement is logged at INFO (rate-limited): a spoofed or stale
	 * message changes nothing.
	 * @param type the observer type
	 * @param id the row's id
	 * @param claimed the action the message claims
	 * @return what changed
	 */
	public ModelChangeOutcome refresh(ObserverType<?> type, Object id, ModelAction claimed) {
		synchronized (this.lock) {
			Optional<ObserverDefinition> row = this.loader.load(type, id);
			String disagreement = disagreement(claimed, row);
			if (disagreement != null) {
				this.disagreements.info(() -> "Model change '" + claimed.wireName() + "' of observer " + type.key(id)
						+ " disagrees with the database (" + disagreement + "); applying what the row says");
			}
			return apply(type, id, row);
		}
	}

	private static @Nullable String disagreement(ModelAction claimed, Optional<ObserverDefinition> row) {
		if (claimed == ModelAction.DESTROY && row.isPresent()) {
			return row.get().observer().isListenerEnabled() ? "the row exists and is enabled"
					: "the row exists, disabled";
		}
		if (claimed != ModelAction.DESTROY && row.isEmpty()) {
			return "no row has this id";
		}
		return null;
	}

	private ModelChangeOutcome apply(ObserverType<?> type, Object id, Optional<ObserverDefinition> row) {
		if (row.isPresent() && row.get().observer().isListenerEnabled()) {
			return register(row.get());
		}
		return unregister(type, id, row.isPresent());
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
			this.listeners.notify((listener) -> listener.resynchronised(synchronization));
			return synchronization;
		}
		catch (RuntimeException ex) {
			this.listeners.notify((listener) -> listener.resynchronisationFailed(ex));
			throw ex;
		}
	}

	private Synchronization synchronizeAll() {
		synchronized (this.lock) {
			Synchronization.Builder result = new Synchronization.Builder();
			redeclareRegistered();
			Set<ObserverKey> active = new HashSet<>();
			for (ObserverType<?> type : this.types.all()) {
				this.loader.forEachActive(type, (definition) -> {
					active.add(definition.key());
					result.add(isolated(definition.key(), () -> register(definition)));
				});
			}
			for (ObserverRegistration registration : this.registry.registrations()) {
				if (!active.contains(registration.key())) {
					ObserverType<?> type = registration.type();
					result
						.add(isolated(registration.key(), () -> refresh(type, type.parseId(registration.key().id()))));
				}
			}
			Synchronization synchronization = result.build();
			logger.info("Resynchronised observers with the database: " + synchronization);
			return synchronization;
		}
	}

	/**
	 * Declare every registered queue and binding again (pipelined, idempotent), so a
	 * queue deleted behind the listener's back is back before the difference is applied.
	 */
	private void redeclareRegistered() {
		Map<String, Exception> failures = this.topology
			.declareAll(this.registry.registrations().stream().map(QueueDeclaration::of).toList());
		failures.forEach((queue, failure) -> this.resyncFailures
			.warn(() -> "Resync could not declare observer queue " + queue + " again: " + failure));
	}

	/**
	 * Apply one observer's row, so that one failure never fails the whole resync.
	 */
	private @Nullable ModelChangeOutcome isolated(ObserverKey key, Supplier<ModelChangeOutcome> work) {
		try {
			return work.get();
		}
		catch (RuntimeException ex) {
			this.resyncFailures.warn(() -> "Resync could not bring observer " + key
					+ " in line with its row; the next resync tries again: " + ex);
			return null;
		}
	}

	/**
	 * The broker lost the queue of an observer (the consumer was cancelled because the
	 * queue was deleted, or a passive declaration found it missing): re-read the row. If
	 * it is still active, declare the queue and its bindings again (the container then
	 * consumes it again within its restart interval) and bring the bindings in line with
	 * the row; if it is disabled or gone, unregister the observer without declaring
	 * anything. A queue no observer here is registered for (deleted with its observer) is
	 * only logged at INFO.
	 * @param queue the lost queue
	 * @return what became of its observer, or empty if none was registered for it
	 */
	public Optional<LostQueueOutcome> recoverLostQueue(String queue) {
		synchronized (this.lock) {
			Optional<ObserverRegistration> registered = this.registry.findByQueue(queue);
			if (registered.isEmpty()) {
				this.lostQueues.info(() -> "The consumer of queue " + queue
						+ " was cancelled by the broker (queue deleted); no observer is registered for it here");
				return Optional.empty();
			}
			ObserverRegistration registration = registered.get();
			ObserverType<?> type = registration.type();
			LostQueueOutcome outcome;
			try {
				outcome = recover(registration, type);
			}
			catch (RuntimeException ex) {
				this.lostQueues.warn(() -> "Queue " + queue + " of observer " + registration.key()
						+ " is gone and could not be declared again; trying again with back-off: " + ex);
				outcome = LostQueueOutcome.FAILED;
			}
			LostQueueOutcome result = outcome;
			this.listeners.notify((listener) -> listener.queueLost(type.name(), result));
			return Optional.of(result);
		}
	}

	private LostQueueOutcome recover(ObserverRegistration registration, ObserverType<?> type) {
		Object id = type.parseId(registration.key().id());
		Optional<ObserverDefinition> row = this.loader.load(type, id);
		if (row.isPresent() && row.get().observer().isListenerEnabled()) {
			this.topology.declare(registration.queueName(), registration.exchange(), registration.routingKeys(),
					registration.type().delivery());
			register(row.get());
			this.lostQueues.warn(() -> "Queue " + registration.queueName() + " of observer " + registration.key()
					+ " was deleted behind the listener's back; declared it again with its bindings, consuming resumes");
			return LostQueueOutcome.REDECLARED;
		}
		// the queue is gone already: deleting it again is a no-op that cannot fail on it
		this.registry.unregister(registration.key(), QueueRetention.DELETE);
		Supplier<String> message = () -> "Queue " + registration.queueName() + " of observer " + registration.key()
				+ " was deleted; its row is " + (row.isPresent() ? "disabled" : "gone")
				+ ", so it is unregistered and not declared again";
		if (row.isPresent()) {
			this.lostQueues.warn(message);
		}
		else {
			// a destroyed observer whose queue another instance deleted first: routine
			this.lostQueues.info(message);
		}
		return LostQueueOutcome.UNREGISTERED;
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
		// registered by no one here (disabled, never seen, or a spoofed id): its queue is
		// not deleted, since the registry does not hold it, and a message must not make
		// us
		// delete {prefix}.{type}.{any text}
		return ModelChangeOutcome.UNCHANGED;
	}

	/**
	 * What a resynchronisation did.
	 *
	 * @param registered observers newly registered
	 * @param updated observers rebound
	 * @param unregistered observers unregistered
	 * @param unchanged observers already in line
	 * @param failed observers that could not be brought in line (logged; the next resync
	 * tries again)
	 */
	public record Synchronization(int registered, int updated, int unregistered, int unchanged, int failed) {

		static final class Builder {

			private final int[] counts = new int[ModelChangeOutcome.values().length];

			private int failed;

			void add(@Nullable ModelChangeOutcome outcome) {
				if (outcome == null) {
					this.failed++;
				}
				else {
					this.counts[outcome.ordinal()]++;
				}
			}

			Synchronization build() {
				return new Synchronization(this.counts[ModelChangeOutcome.REGISTERED.ordinal()],
						this.counts[ModelChangeOutcome.UPDATED.ordinal()],
						this.counts[ModelChangeOutcome.UNREGISTERED.ordinal()],
						this.counts[ModelChangeOutcome.UNCHANGED.ordinal()], this.failed);
			}

		}

	}

}
