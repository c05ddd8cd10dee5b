package io.eventlistener.inbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.PeriodicTask;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Runs a handler at most once per delivery id and queue, as far as the database can tell:
 * the delivery is recorded in the {@link InboxRepository inbox table} and the handler
 * called in one transaction of the application's transaction manager, so the record
 * commits exactly when the handler's own database changes do. A delivery recorded already
 * (a redelivery after a crash, a lost acknowledgement or a publisher's retry) is not
 * handed to the handler again.
 * <p>
 * The record is inserted first: a second copy handled at the same time by another
 * consumer waits on the first one's row lock and then sees the conflict, rather than
 * running the handler too. A handler that throws rolls the record back with everything
 * else, so the delivery is tried again as without the inbox. What a handler does outside
 * the database (a mail, an HTTP call, a transaction of its own) is not covered.
 * <p>
 * The inbox owns its table and, once {@link #cleanedUp cleaned up}, its
 * {@link InboxCleanup}: as a lifecycle bean it runs the cleanup on the shared scheduler
 * from start to stop, in the listener's phase.
 */
public final class EventInbox implements SmartLifecycle {

	private final InboxRepository repository;

	private final TransactionOperations transactions;

	private final Clock clock;

	private @Nullable PeriodicTask cleanup;

	/**
	 * Create a new {@code EventInbox}.
	 * @param repository the inbox table
	 * @param transactions runs the record and the handler in one transaction of the
	 * application's transaction manager (the one its handlers' changes use)
	 * @param clock tells when a delivery was handled
	 */
	public EventInbox(InboxRepository repository, TransactionOperations transactions, Clock clock) {
		this.repository = repository;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Forget the deliveries handled longer ago than the retention, every interval, on the
	 * scheduler, while this inbox runs.
	 * @param retention how long a handled delivery is remembered
	 * @param interval the wait before the first cleanup and between two
	 * @param scheduler the shared scheduler
	 * @return this inbox
	 */
	public EventInbox cleanedUp(Duration retention, Duration interval, TaskScheduler scheduler) {
		this.cleanup = new PeriodicTask(scheduler, new InboxCleanup(this.repository, this.clock, retention), interval,
				interval);
		return this;
	}

	/**
	 * The inbox table.
	 * @return the repository
	 */
	public InboxRepository repository() {
		return this.repository;
	}

	@Override
	public void start() {
		PeriodicTask cleanup = this.cleanup;
		if (cleanup != null) {
			cleanup.start();
		}
	}

	@Override
	public void stop() {
		PeriodicTask cleanup = this.cleanup;
		if (cleanup != null) {
			cleanup.stop();
		}
	}

	@Override
	public boolean isRunning() {
		PeriodicTask cleanup = this.cleanup;
		return cleanup != null && cleanup.isRunning();
	}

	/**
	 * The cleanup runs with the event listener.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE;
	}

	/**
	 * Handle a delivery unless it was handled already.
	 * @param key the delivery
	 * @param handler the handler call
	 * @return {@code true} if the handler ran and its transaction committed,
	 * {@code false} for a duplicate (the handler was not called)
	 * @throws Exception what the handler threw, or the transaction's failure
	 */
	public boolean handleOnce(InboxKey key, Work handler) throws Exception {
		this.repository.createTableOnce();
		return inTransaction(() -> {
			try {
				this.repository.insert(key, this.clock.instant());
			}
			catch (DuplicateKeyException ex) {
				return false;
			}
			handler.run();
			return true;
		});
	}

	/**
	 * Handle a batch of deliveries in one transaction, leaving out those handled already
	 * (and a second copy of one in the same batch); the handler is not called when none
	 * is left.
	 * @param <D> the delivery
	 * @param deliveries the batch
	 * @param keys the key of each delivery
	 * @param handler handles the deliveries not handled before, in their order
	 * @return the duplicates, which the handler did not get
	 * @throws Exception what the handler threw, or the transaction's failure (a
	 * {@link DuplicateKeyException} when another consumer recorded one of them meanwhile:
	 * handle them one by one then)
	 */
	public <D> List<D> handleOnce(List<D> deliveries, Function<D, InboxKey> keys, BatchWork<D> handler)
			throws Exception {
		this.repository.createTableOnce();
		List<D> duplicates = new ArrayList<>();
		inTransaction(() -> {
			Map<InboxKey, D> fresh = new LinkedHashMap<>();
			for (D delivery : deliveries) {
				if (fresh.putIfAbsent(keys.apply(delivery), delivery) != null) {
					duplicates.add(delivery);
				}
			}
			Set<InboxKey> recorded = this.repository.recorded(fresh.keySet());
			recorded.forEach((key) -> duplicates.add(fresh.remove(key)));
			if (!fresh.isEmpty()) {
				this.repository.insertAll(List.copyOf(fresh.keySet()), this.clock.instant());
				handler.run(List.copyOf(fresh.values()));
			}
			return true;
		});
		return duplicates;
	}

	/**
	 * Run in one transaction; anything thrown rolls it back and is thrown as it was.
	 */
	private boolean inTransaction(Step work) throws Exception {
		try {
			Boolean done = this.transactions.execute((status) -> {
				try {
					boolean handled = work.run();
					if (!handled) {
						status.setRollbackOnly();
					}
					return handled;
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new CheckedFailure(ex);
				}
			});
			return Boolean.TRUE.equals(done);
		}
		catch (CheckedFailure ex) {
			throw (Exception) ex.getCause();
		}
	}

	/**
	 * A handler call.
	 */
	@FunctionalInterface
	public interface Work {

		void run() throws Exception;

	}

	/**
	 * A batch handler call.
	 *
	 * @param <D> the delivery
	 */
	@FunctionalInterface
	public interface BatchWork<D> {

		void run(List<D> deliveries) throws Exception;

	}

	/** What runs in the transaction; {@code false} rolls it back. */
	@FunctionalInterface
	private interface Step {

		boolean run() throws Exception;

	}

	/** Carries a checked exception through the transaction callback, rolling it back. */
	private static final class CheckedFailure extends RuntimeException {

		CheckedFailure(Exception cause) {
			super(cause);
		}

	}

}
