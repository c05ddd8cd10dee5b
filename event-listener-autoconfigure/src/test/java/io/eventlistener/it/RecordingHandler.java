package io.eventlistener.it;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;

/**
 * Records every event it handles, and fails for the companies it is told to.
 */
public class RecordingHandler implements EventHandler<Company> {

	private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

	private final Set<Long> failing = ConcurrentHashMap.newKeySet();

	private final Set<Object> poisonSequenceNumbers = ConcurrentHashMap.newKeySet();

	private boolean isPoisonSequenceNumber(Object seq) {
		return seq != null && this.poisonSequenceNumbers.contains(seq);
	}

	/**
	 * Fail on every attempt at the events with these {@code seq} parameters.
	 */
	public void poison(Integer... sequenceNumbers) {
		this.poisonSequenceNumbers.addAll(List.of(sequenceNumbers));
	}

	private volatile Runnable beforeEach = () -> {
	};

	/**
	 * Run this before handling each event, as a handler that needs a resource (a database
	 * query) would; what it throws fails the delivery.
	 */
	public void beforeEach(Runnable beforeEach) {
		this.beforeEach = beforeEach;
	}

	private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final CountDownLatch blocked = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	/**
	 * Whether a handler is blocked on an event with the {@code block} parameter.
	 */
	public boolean isBlocked() {
		return this.blocked.getCount() == 0;
	}

	/**
	 * Let the blocked handler finish.
	 */
	public void release() {
		this.release.countDown();
	}

	private void awaitRelease() {
		try {
			if (!this.release.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void handle(Company company, Event event) {
		this.attempts.computeIfAbsent(event.routingKey(), (key) -> new AtomicInteger()).incrementAndGet();
		this.beforeEach.run();
		if (Boolean.TRUE.equals(event.parameters().get("block"))) {
			this.blocked.countDown();
			awaitRelease();
		}
		if (this.failing.contains(company.getId()) || Boolean.TRUE.equals(event.parameters().get("poison"))
				|| isPoisonSequenceNumber(event.parameters().get("seq"))) {
			throw new IllegalStateException("handler failure for company " + company.getId());
		}
		this.deliveries.add(new Delivery(company.getId(), event));
	}

	/**
	 * How often the handler was called for events with a routing key, all observers
	 * together.
	 */
	public int attempts(String routingKey) {
		AtomicInteger count = this.attempts.get(routingKey);
		return (count != null) ? count.get() : 0;
	}

	public void failFor(Long companyId) {
		this.failing.add(companyId);
	}

	public Set<Long> failing() {
		return this.failing;
	}

	public List<Delivery> deliveries() {
		return List.copyOf(this.deliveries);
	}

	/**
	 * Routing keys of the events one company handled, in order.
	 */
	public List<String> routingKeysFor(Long companyId) {
		return this.deliveries.stream()
			.filter((delivery) -> delivery.companyId().equals(companyId))
			.map((delivery) -> delivery.event().routingKey())
			.toList();
	}

	/**
	 * The {@code seq} parameters of every event handled, with repeats.
	 */
	public List<Integer> sequenceNumbers() {
		return this.deliveries.stream()
			.map((delivery) -> delivery.event().parameters().get("seq"))
			.filter(Integer.class::isInstance)
			.map(Integer.class::cast)
			.toList();
	}

	public record Delivery(Long companyId, Event event) {
	}

}
