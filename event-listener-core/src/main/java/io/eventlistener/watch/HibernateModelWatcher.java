package io.eventlistener.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.eventlistener.EventObserver;
import io.eventlistener.Watched;
import io.eventlistener.wire.RailsValues;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes a model change for every committed insert, update and delete of a
 * {@link WatchedTypes watched} entity, isimud's {@code after_commit} callbacks.
 * <p>
 * Hibernate's post-commit event listeners are used rather than JPA callbacks (which run
 * before commit) or a Spring {@code TransactionSynchronization} (which needs a Spring
 * transaction and still needs Hibernate to say what changed): Hibernate calls them once
 * per entity change, only after its transaction committed, with the state written at
 * flush and the state it replaced. A rolled-back transaction calls the
 * {@code ...CommitFailed} methods instead, which publish nothing.
 * <p>
 * The watched attributes are computed from those state arrays, never from the live
 * entity, and keyed by column name ({@link WatchedTypes}): an observer's routing keys,
 * enabled flag and observed exchange are read from a transient copy of the entity filled
 * with the flushed (or the replaced) state. The message's {@code timestamp} is the
 * state's {@code updated_at}-style attribute when the type has one, as isimud sends
 * {@code updated_at}. An update publishes only if they, or a {@link Watched} attribute,
 * differ (or if Hibernate does not know the replaced state, as for a detached entity
 * updated without being merged). Changes Hibernate does not see as an update of the row
 * (bulk JPQL or SQL, another application, an element collection changed on its own)
 * publish nothing; a resynchronisation picks them up.
 * <p>
 * With an {@link ObserverQueueDeclarer}, a committed create, enable or routing-key change
 * of an observer also declares its queue and binds the added keys right after the
 * database commit, before the commit returns (a Spring {@code afterCommit}, or
 * Hibernate's after-completion outside a Spring transaction), and before the model change
 * is sent.
 */
public class HibernateModelWatcher
		implements PostInsertEventListener, PostUpdateEventListener, PostDeleteEventListener {

	private static final Log logger = LogFactory.getLog(HibernateModelWatcher.class);

	private final WatchedTypes types;

	private final ModelChangePublisher publisher;

	private final @Nullable ObserverQueueDeclarer declarer;

	/**
	 * A watcher that only publishes.
	 * @param types the watched types
	 * @param publisher publishes each change
	 */
	public HibernateModelWatcher(WatchedTypes types, ModelChangePublisher publisher) {
		this(types, publisher, null);
	}

	/**
	 * Create a new {@code HibernateModelWatcher}.
	 * @param types the watched types
	 * @param publisher publishes each change
	 * @param declarer declares a committed observer's queue before the commit returns, or
	 * {@code null} where this process runs no listener
	 */
	public HibernateModelWatcher(WatchedTypes types, ModelChangePublisher publisher,
			@Nullable ObserverQueueDeclarer declarer) {
		this.types = types;
		this.publisher = publisher;
		this.declarer = declarer;
	}

	/**
	 * A watcher of every watched entity of a Hibernate persistence unit, registered with
	 * it ({@link #install}).
	 * @param entityManagerFactory the persistence unit, whose metamodel and column
	 * mapping say what is watched
	 * @param publisher publishes the changes
	 * @param declarer declares a committed observer's queue; {@code null} where no
	 * listener runs
	 * @return the installed watcher
	 */
	public static HibernateModelWatcher installedOn(EntityManagerFactory entityManagerFactory,
			ModelChangePublisher publisher, @Nullable ObserverQueueDeclarer declarer) {
		WatchedTypes types = WatchedTypes.fromMetamodel(entityManagerFactory.getMetamodel(),
				new HibernateColumnNames(entityManagerFactory));
		HibernateModelWatcher watcher = new HibernateModelWatcher(types, publisher, declarer);
		watcher.install(entityManagerFactory);
		return watcher;
	}

	/**
	 * Register this watcher with a Hibernate persistence unit. Changes committed before
	 * are not published.
	 * @param entityManagerFactory the persistence unit
	 */
	public void install(EntityManagerFactory entityManagerFactory) {
		EventListenerRegistry registry = entityManagerFactory.unwrap(SessionFactoryImplementor.class)
			.getServiceRegistry()
			.requireService(EventListenerRegistry.class);
		registry.appendListeners(EventType.POST_INSERT, this);
		registry.appendListeners(EventType.POST_UPDATE, this);
		registry.appendListeners(EventType.POST_DELETE, this);
	}

	@Override
	public boolean requiresPostCommitHandling(EntityPersister persister) {
		return false;
	}

	@Override
	public void onPostInsert(PostInsertEvent event) {
		watched(event.getPersister())
			.ifPresent((type) -> publish(type, ModelAction.CREATE, event.getId(), event.getSession(),
					() -> snapshot(type, event.getPersister(), event.getId(), event.getState(), event.getSession())));
	}

	@Override
	public void onPostUpdate(PostUpdateEvent event) {
		watched(event.getPersister())
			.ifPresent((type) -> publish(type, ModelAction.UPDATE, event.getId(), event.getSession(), () -> {
				Snapshot after = snapshot(type, event.getPersister(), event.getId(), event.getState(),
						event.getSession());
				Snapshot before = (event.getOldState() != null)
						? snapshot(type, event.getPersister(), event.getId(), event.getOldState(), event.getSession())
						: null;
				if (before != null && after.sameAs(before)) {
					return null;
				}
				return after.replacing(before);
			}));
	}

	@Override
	public void onPostDelete(PostDeleteEvent event) {
		watched(event.getPersister()).ifPresent((type) -> publish(type, ModelAction.DESTROY, event.getId(),
				event.getSession(), () -> (event.getDeletedState() != null) ? snapshot(type, event.getPersister(),
						event.getId(), event.getDeletedState(), event.getSession()) : Snapshot.EMPTY));
	}

	private Optional<WatchedType> watched(EntityPersister persister) {
		return this.types.find(persister.getMappedClass());
	}

	/**
	 * Compute the attributes and publish, unless there is nothing to publish. Runs inside
	 * the transaction, during the flush: inside a Spring-managed transaction the change
	 * goes to the outbox with it and is sent after commit; in any other transaction it is
	 * sent once Hibernate reports a successful commit. Nothing may escape into the
	 * caller's flush.
	 */
	private void publish(WatchedType type, ModelAction action, Object id, SharedSessionContractImplementor session,
			SnapshotSupplier snapshots) {
		Snapshot snapshot;
		try {
			snapshot = snapshots.get();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the watched attributes of " + type.name() + "#" + id + " (" + action.wireName()
					+ "); no model change published: " + ex);
			return;
		}
		if (snapshot == null) {
			return;
		}
		Runnable declaration = declaration(type, action, id, snapshot);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			if (declaration != null) {
				// ordered before the outbox's (which has the lowest precedence and is
				// registered once per transaction, maybe before this flush): the queue is
				// bound before the model change is sent, and both before the commit
				// returns
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void afterCommit() {
						declaration.run();
					}

					@Override
					public int getOrder() {
						return Ordered.LOWEST_PRECEDENCE - 1;
					}

				});
			}
			this.publisher.publish(type.name(), action, id, snapshot.timestamp(), snapshot.attributes());
		}
		else {
			session.getTransactionCompletionCallbacks()
				.registerCallback((TransactionCompletionCallbacks.AfterCompletionCallback) (success, completed) -> {
					if (success) {
						if (declaration != null) {
							declaration.run();
						}
						this.publisher.publish(type.name(), action, id, snapshot.timestamp(), snapshot.attributes());
					}
				});
		}
	}

	private @Nullable Runnable declaration(WatchedType type, ModelAction action, Object id, Snapshot snapshot) {
		ObserverQueueDeclarer declarer = this.declarer;
		if (declarer == null || snapshot.observer() == null || action == ModelAction.DESTROY) {
			return null;
		}
		Snapshot before = snapshot.replaced();
		return declarer.declaration(type.name(), id, (before != null) ? before.observer() : null, snapshot.observer());
	}

	private static Snapshot snapshot(WatchedType type, EntityPersister persister, Object id, @Nullable Object[] state,
			SharedSessionContractImplementor session) {
		Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
		ObserverState observer = null;
		List<String> routingKeys = List.of();
		if (type.observer()) {
			EventObserver copy = (EventObserver) persister.instantiate(id, session);
			persister.setValues(copy, state);
			routingKeys = new ArrayList<>(copy.getRoutingKeys());
			observer = new ObserverState(routingKeys, copy.isListenerEnabled(), copy.getObservedExchange());
		}
		List<String> names = Arrays.asList(persister.getPropertyNames());
		for (WatchedType.WatchedAttribute attribute : type.attributes()) {
			attributes.put(attribute.key(),
					attribute.routingKeys() ? routingKeys : state[names.indexOf(attribute.name())]);
		}
		String timestamp = type.timestampAttribute();
		return new Snapshot(attributes, observer,
				(timestamp != null) ? RailsValues.instant(state[names.indexOf(timestamp)]) : null, null);
	}

	/**
	 * What a change publishes, and what decides whether an update publishes: the sent
	 * attributes and, for an observer, what it says through {@link EventObserver} (its
	 * enabled flag or exchange may be computed from columns that are not sent). An
	 * update's snapshot also holds the one it replaced, if known, for the declarer.
	 */
	private record Snapshot(Map<String, @Nullable Object> attributes, @Nullable ObserverState observer,
			@Nullable Instant timestamp, @Nullable Snapshot replaced) {

		static final Snapshot EMPTY = new Snapshot(new LinkedHashMap<>(), null, null, null);

		Snapshot replacing(@Nullable Snapshot before) {
			return new Snapshot(this.attributes, this.observer, this.timestamp, before);
		}

		boolean sameAs(Snapshot other) {
			return Objects.equals(this.observer, other.observer)
					&& this.attributes.keySet().equals(other.attributes.keySet())
					&& this.attributes.keySet()
						.stream()
						.allMatch((key) -> Objects.deepEquals(this.attributes.get(key), other.attributes.get(key)));
		}

	}

	@FunctionalInterface
	private interface SnapshotSupplier {

		/**
		 * Return what to publish, or {@code null} to publish nothing.
		 * @return what to publish, or {@code null} to publish nothing
		 */
		@Nullable Snapshot get();

	}

}
