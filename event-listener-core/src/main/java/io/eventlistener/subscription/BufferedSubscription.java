package io.eventlistener.subscription;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.eventlistener.Event;
import io.eventlistener.EventSubscription;
import io.eventlistener.EventSubscriptionOverflowException;
import io.eventlistener.logging.RateLimitedLog;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One subscription: its compiled routing keys and a bounded buffer that the shared
 * queue's consumer only ever offers to, never waits on. The reader takes from the buffer
 * (iterator) or is fed from it as it requests (publisher, drained on an executor, one
 * drain at a time).
 */
final class BufferedSubscription implements EventSubscription {

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(BufferedSubscription.class));

	private final List<String> routingKeys;

	private final List<RoutingKeyPattern> patterns;

	private final int capacity;

	private final OverflowPolicy overflow;

	private final Executor executor;

	private final Callbacks callbacks;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<Event> buffer;

	private final AtomicLong dropped = new AtomicLong();

	private volatile @Nullable End end;

	private Mode mode = Mode.UNREAD;

	private @Nullable FlowSubscription flow;

	BufferedSubscription(List<String> routingKeys, int capacity, OverflowPolicy overflow, Executor executor,
			Callbacks callbacks) {
		this.routingKeys = List.copyOf(routingKeys);
		this.patterns = this.routingKeys.stream().map(RoutingKeyPattern::compile).toList();
		this.capacity = capacity;
		this.overflow = overflow;
		this.executor = executor;
		this.callbacks = callbacks;
		this.buffer = new ArrayDeque<>(Math.min(capacity, 64));
	}

	@Override
	public List<String> routingKeys() {
		return this.routingKeys;
	}

	boolean matches(String routingKey) {
		for (RoutingKeyPattern pattern : this.patterns) {
			if (pattern.matches(routingKey)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Buffer an event; never blocks.
	 * @param event the event
	 */
	void offer(Event event) {
		boolean overflowed = false;
		this.lock.lock();
		try {
			if (this.end != null) {
				return;
			}
			if (this.buffer.size() >= this.capacity) {
				if (this.overflow == OverflowPolicy.CANCEL) {
					overflowed = true;
				}
				else {
					this.buffer.pollFirst();
					this.dropped.incrementAndGet();
					this.callbacks.dropped();
				}
			}
			if (!overflowed) {
				this.buffer.addLast(event);
				this.changed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
		if (overflowed) {
			end(new End(Reason.OVERFLOW, "its buffer of " + this.capacity + " events was full"), false);
		}
		else {
			drain();
		}
	}

	@Override
	public void close() {
		end(new End(Reason.CLOSED, "closed"), true);
	}

	/**
	 * End the subscription, once; the first reason wins.
	 * @param reason why
	 * @param discard whether to discard what is buffered rather than deliver it first
	 */
	void end(End reason, boolean discard) {
		this.lock.lock();
		try {
			if (this.end != null) {
				return;
			}
			this.end = reason;
			if (discard) {
				this.buffer.clear();
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		this.callbacks.ended(this);
		drain();
	}

	@Override
	public @Nullable End end() {
		return this.end;
	}

	@Override
	public long dropped() {
		return this.dropped.get();
	}

	@Override
	public @Nullable Event poll(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.lock.lockInterruptibly();
		try {
			read(Mode.PULL);
			while (this.buffer.isEmpty() && this.end == null) {
				if (nanos <= 0) {
					return null;
				}
				nanos = this.changed.awaitNanos(nanos);
			}
			return take();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public Iterator<Event> iterator() {
		this.lock.lock();
		try {
			read(Mode.PULL);
		}
		finally {
			this.lock.unlock();
		}
		return new BlockingIterator();
	}

	@Override
	public Flow.Publisher<Event> publisher() {
		this.lock.lock();
		try {
			read(Mode.PUSH);
		}
		finally {
			this.lock.unlock();
		}
		return this::subscribe;
	}

	private void read(Mode wanted) {
		if (this.mode == Mode.UNREAD) {
			this.mode = wanted;
		}
		else if (this.mode != wanted) {
			throw new IllegalStateException("This subscription is read through its "
					+ ((this.mode == Mode.PUSH) ? "publisher()" : "iterator() or poll()") + "; read it one way only");
		}
	}

	private @Nullable Event take() {
		Event event = this.buffer.pollFirst();
		if (event != null) {
			this.callbacks.delivered();
		}
		return event;
	}

	private void subscribe(Flow.Subscriber<? super Event> subscriber) {
		FlowSubscription subscription;
		this.lock.lock();
		try {
			if (this.flow != null) {
				subscription = null;
			}
			else {
				subscription = new FlowSubscription(subscriber);
				this.flow = subscription;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (subscription == null) {
			subscriber.onSubscribe(new NoSubscription());
			subscriber.onError(new IllegalStateException("An event subscription's publisher takes one subscriber"));
			return;
		}
		subscriber.onSubscribe(subscription);
		drain();
	}

	private void drain() {
		FlowSubscription subscription = this.flow;
		if (subscription != null) {
			subscription.schedule();
		}
	}

	@Override
	public String toString() {
		return "EventSubscription" + this.routingKeys;
	}

	private enum Mode {

		UNREAD, PULL, PUSH

	}

	/**
	 * What the subscriptions hear from one of them.
	 */
	interface Callbacks {

		void delivered();

		void dropped();

		void ended(BufferedSubscription subscription);

	}

	private final class BlockingIterator implements Iterator<Event> {

		private @Nullable Event next;

		@Override
		public boolean hasNext() {
			if (this.next != null) {
				return true;
			}
			BufferedSubscription outer = BufferedSubscription.this;
			outer.lock.lock();
			try {
				while (outer.buffer.isEmpty() && outer.end == null) {
					outer.changed.await();
				}
				this.next = outer.take();
				return this.next != null;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			finally {
				outer.lock.unlock();
			}
		}

		@Override
		public Event next() {
			if (!hasNext()) {
				throw new NoSuchElementException("The subscription has ended");
			}
			Event event = this.next;
			this.next = null;
			return event;
		}

	}

	/**
	 * The publisher's one subscription: demand and a drain run on the executor, one at a
	 * time (a work-in-progress counter), so {@code onNext} is never called concurrently
	 * and never on the consumer's thread.
	 */
	private final class FlowSubscription implements Flow.Subscription {

		private final Flow.Subscriber<? super Event> subscriber;

		private final AtomicLong demand = new AtomicLong();

		private final AtomicInteger work = new AtomicInteger();

		private volatile boolean done;

		FlowSubscription(Flow.Subscriber<? super Event> subscriber) {
			this.subscriber = subscriber;
		}

		@Override
		public void request(long n) {
			if (n <= 0) {
				fail(new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)"));
				return;
			}
			this.demand.accumulateAndGet(n, (current, more) -> (current + more < 0) ? Long.MAX_VALUE : current + more);
			schedule();
		}

		@Override
		public void cancel() {
			this.done = true;
			close();
		}

		void schedule() {
			if (this.work.getAndIncrement() == 0) {
				try {
					BufferedSubscription.this.executor.execute(this::run);
				}
				catch (RejectedExecutionException ex) {
					// the executor is shutting down: finish on this thread
					run();
				}
			}
		}

		private void run() {
			do {
				if (!this.done) {
					deliver();
				}
			}
			while (this.work.decrementAndGet() != 0);
		}

		private void deliver() {
			BufferedSubscription outer = BufferedSubscription.this;
			while (!this.done && this.demand.get() > 0) {
				Event event;
				outer.lock.lock();
				try {
					event = outer.take();
				}
				finally {
					outer.lock.unlock();
				}
				if (event == null) {
					break;
				}
				this.demand.decrementAndGet();
				try {
					this.subscriber.onNext(event);
				}
				catch (RuntimeException ex) {
					log.warn(() -> "A subscriber of " + outer + " failed in onNext (" + ex
							+ "); the subscription is closed");
					this.done = true;
					outer.close();
					return;
				}
			}
			End end = outer.end;
			if (!this.done && end != null && isEmpty()) {
				this.done = true;
				if (end.reason() == Reason.OVERFLOW) {
					this.subscriber.onError(new EventSubscriptionOverflowException(
							"The subscription to " + outer.routingKeys + " ended: " + end.message()));
				}
				else {
					this.subscriber.onComplete();
				}
			}
		}

		private boolean isEmpty() {
			BufferedSubscription outer = BufferedSubscription.this;
			outer.lock.lock();
			try {
				return outer.buffer.isEmpty();
			}
			finally {
				outer.lock.unlock();
			}
		}

		private void fail(Throwable error) {
			if (!this.done) {
				this.done = true;
				close();
				this.subscriber.onError(error);
			}
		}

	}

	private static final class NoSubscription implements Flow.Subscription {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	}

}
