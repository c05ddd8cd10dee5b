package io.eventlistener.watch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.eventlistener.EventObserver;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.persister.entity.EntityPersister;
import org.jspecify.annotations.Nullable;

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
 * entity: an observer's routing keys, enabled flag and observed exchange are read from a
 * transient copy of the entity filled with the flushed (or the replaced) state. An update
 * publishes only if they, or a {@link Watched} attribute, differ (or if Hibernate does
 * not know the replaced state, as for a detached entity updated without being merged).
 * Changes Hibernate does not see as an update of the row (bulk JPQL or SQL, another
 * application, an element collection changed on its own) publish nothing; a
 * resynchronisation picks them up.
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
		watched(event.getPersister()).ifPresent(
				(type) -> publish(type, ModelAction.CREATE, event.getId(), event.getSession(), () -> new Change(null,
						attributes(type, event.getPersister(), event.getId(), event.getState(), event.getSession()))));
	}

	@Override
	public void onPostUpdate(PostUpdateEvent event) {
		watched(event.getPersister())
			.ifPresent((type) -> publish(type, ModelAction.UPDATE, event.getId(), event.getSession(), () -> {
				Map<String, @Nullable Object> after = attributes(type, event.getPersister(), event.getId(),
						event.getState(), event.getSession());
				Map<String, @Nullable Object> before = (event.getOldState() != null)
						? attributes(type, event.getPersister(), event.getId(), event.getOldState(), event.getSession())
						: null;
				if (before != null && sameValues(after, before)) {
					return null;
				}
				return new Change(before, after);
			}));
	}

	@Override
	public void onPostDelete(PostDeleteEvent event) {
		watched(event.getPersister()).ifPresent(
				(type) -> publish(type, ModelAction.DESTROY, event.getId(), event.getSession(),
						() -> new Change(null,
								(event.getDeletedState() != null) ? attributes(type, event.getPersister(),
										event.getId(), event.getDeletedState(), event.getSession())
										: new LinkedHashMap<>())));
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
			AttributesSupplier attributes) {
		Change change;
		try {
			change = attributes.get();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the watched attributes of " + type.name() + "#" + id + " (" + action.wireName()
					+ "); no model change published: " + ex);
			return;
		}
		if (change == null) {
			return;
		}
		Runnable declaration = declaration(type, action, id, change);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			if (declaration != null) {
				// registered before the outbox's: the queue is bound before the model
				// change is sent, and both before the commit returns
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void afterCommit() {
						declaration.run();
					}

				});
			}
			this.publisher.publish(type.name(), action, id, change.after());
		}
		else {
			session.getTransactionCompletionCallbacks()
				.registerCallback((TransactionCompletionCallbacks.AfterCompletionCallback) (success, completed) -> {
					if (success) {
						if (declaration != null) {
							declaration.run();
						}
						this.publisher.publish(type.name(), action, id, change.after());
					}
				});
		}
	}

	private @Nullable Runnable declaration(WatchedType type, ModelAction action, Object id, Change change) {
		ObserverQueueDeclarer declarer = this.declarer;
		if (declarer == null || !type.observer() || action == ModelAction.DESTROY) {
			return null;
		}
		return declarer.declaration(type.name(), id, change.before(), change.after());
	}

	private static Map<String, @Nullable Object> attributes(WatchedType type, EntityPersister persister, Object id,
			@Nullable Object[] state, SharedSessionContractImplementor session) {
		Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
		if (type.observer()) {
			EventObserver copy = (EventObserver) persister.instantiate(id, session);
			persister.setValues(copy, state);
			attributes.put(WatchedType.ROUTING_KEYS, new ArrayList<>(copy.getRoutingKeys()));
			attributes.put(WatchedType.LISTENER_ENABLED, copy.isListenerEnabled());
			attributes.put(WatchedType.OBSERVED_EXCHANGE, copy.getObservedExchange());
		}
		List<String> names = Arrays.asList(persister.getPropertyNames());
		for (WatchedType.WatchedAttribute attribute : type.attributes()) {
			attributes.put(attribute.key(), state[names.indexOf(attribute.name())]);
		}
		return attributes;
	}

	private static boolean sameValues(Map<String, @Nullable Object> left, Map<String, @Nullable Object> right) {
		return left.keySet().equals(right.keySet())
				&& left.keySet().stream().allMatch((key) -> Objects.deepEquals(left.get(key), right.get(key)));
	}

	@FunctionalInterface
	private interface AttributesSupplier {

		/**
		 * @return the change to publish, or {@code null} to publish nothing
		 */
		@Nullable Change get();

	}

	/**
	 * The watched attributes of a row before (if known) and after a change.
	 */
	private record Change(@Nullable Map<String, @Nullable Object> before, Map<String, @Nullable Object> after) {
	}

}
