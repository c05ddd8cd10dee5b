package io.eventlistener.observer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.eventlistener.EventObserver;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnitUtil;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.jspecify.annotations.Nullable;

import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads observer rows, isimud's {@code find_active_observers}. Active rows are read in
 * pages ordered by id (keyset paging), each page in its own short read-only transaction,
 * filtered in the database by the {@link io.eventlistener.ListenerEnabled} attribute: the
 * table is never held in memory at once, and disabled rows never leave the database.
 */
public class ActiveObserverLoader {

	private final EntityManager entityManager;

	private final PersistenceUnitUtil persistenceUnitUtil;

	private final TransactionTemplate readOnly;

	private final int pageSize;

	/**
	 * Create a new {@code ActiveObserverLoader}.
	 * @param entityManagerFactory the persistence unit that holds the observers
	 * @param transactionManager its transaction manager
	 * @param pageSize how many rows one page holds
	 */
	public ActiveObserverLoader(EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager, int pageSize) {
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.persistenceUnitUtil = entityManagerFactory.getPersistenceUnitUtil();
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.pageSize = pageSize;
	}

	/**
	 * Call the action for every active observer of a type, page by page.
	 * @param type the observer type
	 * @param action what to do with each active observer
	 * @return how many active observers there were
	 */
	public int forEachActive(ObserverType<?> type, Consumer<ObserverDefinition> action) {
		return forEachActivePage(type, (page) -> page.forEach(action));
	}

	/**
	 * Call the action with the active observers of a type, one page (at most
	 * {@code pageSize} rows) at a time, for registering them in bulk.
	 * @param type the observer type
	 * @param action what to do with each page's active observers; not called for a page
	 * without any
	 * @return how many active observers there were
	 */
	public int forEachActivePage(ObserverType<?> type, Consumer<List<ObserverDefinition>> action) {
		int count = 0;
		Page page = new Page(List.of(), null, true);
		while (page.full()) {
			Object after = page.lastId();
			page = this.readOnly.execute((status) -> activePage(type, after));
			if (!page.active().isEmpty()) {
				action.accept(page.active());
			}
			count += page.active().size();
		}
		return count;
	}

	/**
	 * Read one row as it is now.
	 * @param type the observer type
	 * @param id the row's id
	 * @return the row if it exists and is enabled, otherwise empty
	 */
	public Optional<ObserverDefinition> loadActive(ObserverType<?> type, Object id) {
		return load(type, id).filter((definition) -> definition.observer().isListenerEnabled());
	}

	/**
	 * Read one row as it is now, enabled or not: the model watcher tells a disabled row
	 * (keep its queue) from a deleted one (delete its queue).
	 * @param type the observer type
	 * @param id the row's id
	 * @return the row if it exists, otherwise empty
	 */
	public Optional<ObserverDefinition> load(ObserverType<?> type, Object id) {
		return this.readOnly.execute((status) -> Optional.ofNullable(this.entityManager.find(type.javaType(), id))
			.map((observer) -> definition(type, observer)));
	}

	private Page activePage(ObserverType<?> type, @Nullable Object after) {
		List<? extends EventObserver> rows = this.entityManager.createQuery(activeQuery(type, after))
			.setMaxResults(this.pageSize)
			.getResultList();
		List<ObserverDefinition> active = new ArrayList<>(rows.size());
		rows.stream().filter(EventObserver::isListenerEnabled).forEach((row) -> active.add(definition(type, row)));
		Object lastId = rows.isEmpty() ? after : this.persistenceUnitUtil.getIdentifier(rows.get(rows.size() - 1));
		return new Page(active, lastId, rows.size() == this.pageSize);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private <T extends EventObserver> CriteriaQuery<T> activeQuery(ObserverType<T> type, @Nullable Object after) {
		CriteriaBuilder builder = this.entityManager.getCriteriaBuilder();
		CriteriaQuery<T> query = builder.createQuery(type.javaType());
		Root<T> root = query.from(type.javaType());
		List<Predicate> where = new ArrayList<>();
		if (type.enabledAttribute() != null) {
			where.add(builder.isTrue(root.get(type.enabledAttribute())));
		}
		if (after != null) {
			where.add(builder.greaterThan(root.get(type.idAttribute()), (Comparable) after));
		}
		return query.select(root)
			.where(where.toArray(Predicate[]::new))
			.orderBy(builder.asc(root.get(type.idAttribute())));
	}

	private ObserverDefinition definition(ObserverType<?> type, EventObserver observer) {
		Object id = this.persistenceUnitUtil.getIdentifier(observer);
		return new ObserverDefinition(type, id, observer, observer.getObservedExchange(),
				new LinkedHashSet<>(observer.getRoutingKeys()));
	}

	/**
	 * One page of rows: the active ones, the id to continue after, and whether more may
	 * follow.
	 */
	private record Page(List<ObserverDefinition> active, @Nullable Object lastId, boolean full) {
	}

}
