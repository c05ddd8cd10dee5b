package io.eventlistener.partition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.PeriodicTask;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.partition.BucketAssignment.Rebalance;
import io.eventlistener.partition.MembershipRepository.Member;
import io.eventlistener.partition.MembershipRepository.StoredAssignment;
import io.eventlistener.partition.PartitionListener.RoundOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps this instance a member of its group and its consumers on its buckets. Every
 * heartbeat interval, on the starter's scheduler, a round: heartbeat, remove members past
 * the timeout, apply {@link BucketAssignment#rebalance} to the stored assignment and the
 * members, store the result if it changed (compare-and-set: when two instances race, one
 * wins and the other follows it), then consume this instance's buckets.
 * <p>
 * Hand-over without a gap: a bucket that moved away is consumed here for one more round
 * after the round that saw it move, by when its new owner, rounding as often, has
 * started. For a pooled observer the two consume side by side for that while (competing
 * consumers: each message still goes to one); for an ordered one the queue's
 * single-active-consumer keeps the second consumer waiting until the first cancels, so
 * order holds.
 * <p>
 * A database that does not answer changes nothing here: this instance keeps consuming its
 * buckets for as long as the outage lasts, with no bound. Consuming a bucket another
 * instance took meanwhile is safe (competing consumers; single active consumer for
 * ordered queues), while dropping them would leave every queue without a consumer the
 * moment the database is down for all. Once it answers again the instance joins again
 * (its membership expired if the outage outlasted the timeout) and stops the buckets that
 * moved. While its last successful round is older than the member timeout, the others
 * have removed it and taken its buckets: {@link #status()} says its membership is
 * {@link Membership#PRESUMED_LOST}, so health can show that this instance's consuming
 * overlaps with theirs until it reaches the database again.
 * <p>
 * A round starts the queues of its new buckets itself (a consume returns at once) and
 * leaves stopping to an executor of its own: stopping a queue waits (at most the shutdown
 * timeout) for its in-flight handler, and a round that waited for that behind a burst of
 * deliveries would heartbeat too late, so that the others removed this instance, and
 * starts queued behind stops would leave a moved bucket unconsumed for as long. Each
 * round's stops run as a task of their own, so that a stop waiting for its handlers
 * delays no later round's cancels; a bucket that comes back while its queues are being
 * stopped is consumed again once they are ({@link PartitionedConsumers#release}).
 * <p>
 * A graceful stop leaves at once: the row is deleted and an assignment without this
 * instance stored, so the others take its buckets at their next round.
 */
public class PartitionCoordinator implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PartitionCoordinator.class);

	private final RateLimitedLog failures = new RateLimitedLog(logger);

	private final MembershipRepository repository;

	private final String group;

	private final String member;

	private final PartitionSettings settings;

	private final PartitionedConsumers consumers;

	private final Clock clock;

	private final Runnable createSchema;

	private final PeriodicTask rounds;

	private List<PartitionListener> listeners = List.of();

	/** Buckets seen moved away in the last round, released in this one. */
	private BitSet leaving = new BitSet(Buckets.COUNT);

	/** The buckets the last round asked to consume (the hand-over may still run). */
	private BitSet requested = new BitSet(Buckets.COUNT);

	private Executor handovers = Runnable::run;

	private volatile PartitionStatus status;

	/**
	 * Create a new {@code PartitionCoordinator}.
	 * @param repository the membership and assignment tables
	 * @param group the instances sharing queues (the queue prefix)
	 * @param member this instance's id, unique in the group
	 * @param settings heartbeat, timeout and move cap
	 * @param consumers consumes this instance's buckets
	 * @param clock the time source; the instances' clocks must agree to well within the
	 * member timeout
	 * @param createSchema creates the tables if missing; run when this starts, after the
	 * database gate
	 * @param scheduler the starter's shared scheduler
	 */
	public PartitionCoordinator(MembershipRepository repository, String group, String member,
			PartitionSettings settings, PartitionedConsumers consumers, Clock clock, Runnable createSchema,
			TaskScheduler scheduler) {
		this.repository = repository;
		this.group = group;
		this.member = member;
		this.settings = settings;
		this.consumers = consumers;
		this.clock = clock;
		this.createSchema = createSchema;
		this.rounds = new PeriodicTask(scheduler, this::round, settings.heartbeatInterval(),
				settings.heartbeatInterval());
		this.status = PartitionStatus.initial(group, member);
	}

	/**
	 * Set where the stopping of queues whose buckets went runs, so that a round never
	 * waits for it; by default in the round itself.
	 * @param handovers runs stops, each round's as a task of its own
	 */
	public void setHandoverExecutor(Executor handovers) {
		this.handovers = handovers;
	}

	/**
	 * Set who hears about rounds and hand-overs.
	 * @param listeners the listeners (metrics)
	 */
	public void setListeners(List<PartitionListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * One round: heartbeat, expire, rebalance, consume. Never throws: a database error is
	 * logged (rate-limited), counted, and leaves the consumed buckets as they are.
	 */
	public void round() {
		round(this.handovers);
	}

	/**
	 * One round, its hand-over run by the given executor: the first, at start, in the
	 * starting thread, so that a blocking start-up returns consuming.
	 */
	private synchronized void round(Executor handovers) {
		Instant now = this.clock.instant();
		StoredAssignment stored;
		List<String> members;
		RoundOutcome outcome;
		try {
			boolean joined = this.repository.heartbeat(this.group, this.member, now);
			Instant answered = this.clock.instant();
			if (answered.isAfter(now.plus(this.settings.heartbeatInterval()))) {
				// the database answered late (a network frozen mid-round): the heartbeat
				// it stored is already old, and the others would remove this instance
				// again at once
				now = answered;
				joined |= this.repository.heartbeat(this.group, this.member, now);
			}
			if (joined && this.status.lastContact() != null) {
				logger.warn("Instance " + this.member + " joined its group " + this.group + " again: it had not "
						+ "heartbeated for longer than " + this.settings.memberTimeout()
						+ "; it stops consuming the buckets that moved meanwhile");
			}
			this.repository.expire(this.group, now.minus(this.settings.memberTimeout()));
			members = this.repository.members(this.group).stream().map(Member::id).toList();
			Optional<StoredAssignment> current = this.repository.assignment(this.group);
			long generation = current.map(StoredAssignment::generation).orElse(0L);
			// one capped move per interval, however many instances round in it
			boolean recent = current.isPresent()
					&& current.get().rebalanced().isAfter(now.minus(this.settings.heartbeatInterval()));
			Rebalance next = current.map(StoredAssignment::assignment)
				.orElseGet(BucketAssignment::empty)
				.rebalance(members, recent ? 0 : this.settings.maxMoves());
			if (!next.changed()) {
				stored = current.orElseThrow();
				outcome = RoundOutcome.UNCHANGED;
			}
			else {
				Optional<StoredAssignment> replaced = this.repository.replace(this.group, generation, next.assignment(),
						now);
				outcome = replaced.isPresent() ? RoundOutcome.REBALANCED : RoundOutcome.LOST_RACE;
				stored = replaced.or(() -> this.repository.assignment(this.group)).orElseThrow();
				if (replaced.isPresent()) {
					logger.info("Rebalanced group " + this.group + " over " + members.size() + " instance(s): "
							+ next.adopted() + " bucket(s) of instances gone handed out, " + next.moved()
							+ " moved; generation " + stored.generation());
				}
			}
		}
		catch (DataAccessException ex) {
			this.failures.warn(() -> "Partition round of " + this.member + " failed; it keeps consuming its "
					+ this.consumers.owned().cardinality() + " bucket(s): " + ex.getMessage());
			this.listeners.forEach((listener) -> listener.round(RoundOutcome.FAILED));
			return;
		}
		this.listeners.forEach((listener) -> listener.round(outcome));
		consume(stored.assignment().bucketsOf(this.member), handovers);
		this.status = new PartitionStatus(this.group, this.member, Membership.MEMBER, members,
				this.requested.cardinality(), this.consumers.observerCounts(), stored.generation(), stored.rebalanced(),
				now);
	}

	/**
	 * Start this round's new buckets now (a consume returns at once) and hand the ones
	 * that moved away a round ago to the hand-over executor to stop (a stop waits for
	 * in-flight handlers), so that starts never wait behind stops.
	 */
	private void consume(BitSet mine, Executor handovers) {
		BitSet gone = (BitSet) this.requested.clone();
		gone.andNot(mine);
		BitSet release = (BitSet) gone.clone();
		release.and(this.leaving);
		gone.andNot(release);
		this.leaving = gone;
		BitSet target = (BitSet) mine.clone();
		target.or(gone);
		if (target.equals(this.requested)) {
			return;
		}
		this.requested = target;
		HandoverRequest request = new HandoverRequest(System.nanoTime(), mine.cardinality(), gone.cardinality());
		int started;
		try {
			started = this.consumers.assign(target);
		}
		catch (RuntimeException ex) {
			handoverFailed(request, ex);
			return;
		}
		logger.info("Instance " + this.member + " now consumes " + request.mine() + " bucket(s) (" + request.kept()
				+ " more until their new owner has started): started " + started + " queue(s)");
		if (this.consumers.hasReleasing()) {
			handovers.execute(() -> release(request));
		}
		else {
			handedOver(request.start(), false);
		}
	}

	/**
	 * Stop the queues of the buckets that went by now. Each round's stops run apart: one
	 * waiting for its handlers never delays the next one's {@code basic.cancel}.
	 */
	private void release(HandoverRequest request) {
		try {
			int stopped = this.consumers.release();
			logger.info("Instance " + this.member + " stopped " + stopped + " queue(s) of buckets that moved away");
			handedOver(request.start(), false);
		}
		catch (RuntimeException ex) {
			handoverFailed(request, ex);
		}
	}

	private void handoverFailed(HandoverRequest request, RuntimeException ex) {
		this.failures.warn(() -> "Instance " + this.member + " could not change the queues it consumes: " + ex);
		handedOver(request.start(), true);
	}

	private void handedOver(long start, boolean failed) {
		Duration duration = Duration.ofNanos(System.nanoTime() - start);
		this.listeners.forEach((listener) -> listener.handover(duration, failed));
	}

	/**
	 * What this instance knows of its group, as of its last successful round, and whether
	 * it is still a member now: a last successful round older than the member timeout
	 * means the others have removed it.
	 * @return the status
	 */
	public PartitionStatus status() {
		PartitionStatus last = this.status;
		Instant contact = last.lastContact();
		if (contact != null && contact.isBefore(this.clock.instant().minus(this.settings.memberTimeout()))) {
			return last.withMembership(Membership.PRESUMED_LOST);
		}
		return last;
	}

	/**
	 * How this instance keeps in touch with its group.
	 * @return the heartbeat, timeout and move cap
	 */
	public PartitionSettings settings() {
		return this.settings;
	}

	/**
	 * Starts with the event listener, after the database gate (so its first round finds
	 * the database), and stops, leaving the group, with it.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE;
	}

	@Override
	public void start() {
		this.createSchema.run();
		round(Runnable::run);
		this.rounds.start();
	}

	@Override
	public void stop() {
		this.rounds.stop();
		leave();
	}

	/**
	 * Leave at once, and hand this instance's buckets out, so nobody waits for the
	 * timeout.
	 */
	private synchronized void leave() {
		try {
			this.repository.leave(this.group, this.member);
			Optional<StoredAssignment> current = this.repository.assignment(this.group);
			if (current.isPresent()) {
				List<String> members = this.repository.members(this.group).stream().map(Member::id).toList();
				this.repository.replace(this.group, current.get().generation(),
						current.get().assignment().rebalance(members, this.settings.maxMoves()).assignment(),
						this.clock.instant());
			}
			logger.info("Instance " + this.member + " left its group " + this.group);
			// a start after this one joins afresh
			this.status = PartitionStatus.initial(this.group, this.member);
			this.leaving = new BitSet(Buckets.COUNT);
			this.requested = new BitSet(Buckets.COUNT);
		}
		catch (DataAccessException ex) {
			logger.warn("Instance " + this.member + " could not leave its group " + this.group
					+ "; the others take its buckets after " + this.settings.memberTimeout() + ": " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.rounds.isRunning();
	}

	/**
	 * What an instance knows of its group.
	 *
	 * @param group the group
	 * @param member this instance
	 * @param membership whether this instance is a member now
	 * @param members the members at the last successful round
	 * @param buckets how many buckets this instance consumes (as its last round asked: a
	 * hand-over may still be starting or stopping some)
	 * @param observers partitioned observers consumed here, of those registered
	 * @param generation the assignment's generation ({@code 0} before the first)
	 * @param lastRebalance when the assignment was last stored
	 * @param lastContact the last round that reached the database
	 */
	public record PartitionStatus(String group, String member, Membership membership, List<String> members, int buckets,
			PartitionedConsumers.ObserverCounts observers, long generation, @Nullable Instant lastRebalance,
			@Nullable Instant lastContact) {

		static PartitionStatus initial(String group, String member) {
			return new PartitionStatus(group, member, Membership.JOINING, List.of(), 0,
					new PartitionedConsumers.ObserverCounts(0, 0), 0, null, null);
		}

		PartitionStatus withMembership(Membership membership) {
			return new PartitionStatus(this.group, this.member, membership, this.members, this.buckets, this.observers,
					this.generation, this.lastRebalance, this.lastContact);
		}

	}

	/** Whether an instance is a member of its group, as far as it can tell. */
	public enum Membership {

		/** No round has reached the database yet: it consumes no partitioned queue. */
		JOINING,

		/** Its last successful round is within the member timeout. */
		MEMBER,

		/**
		 * Its last successful round is older than the member timeout: the others have
		 * removed it and consume its buckets. It keeps consuming them too (overlap, never
		 * a gap) and, when the database answers, joins again and stops the buckets that
		 * moved.
		 */
		PRESUMED_LOST

	}

	/**
	 * A change of buckets a round made, its stops still to come.
	 *
	 * @param start when the round started it ({@link System#nanoTime()})
	 * @param mine how many buckets are this instance's
	 * @param kept how many moved away and are kept one more round
	 */
	private record HandoverRequest(long start, int mine, int kept) {
	}

}
