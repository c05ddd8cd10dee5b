package io.eventlistener.subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.Event;
import io.eventlistener.EventSubscription.End;
import io.eventlistener.EventSubscription.Reason;
import io.eventlistener.EventSubscriptionOverflowException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * One subscription's buffer, overflow policies, iterator and publisher, without a broker.
 */
class BufferedSubscriptionTests {

	private final AtomicInteger delivered = new AtomicInteger();

	private final AtomicInteger dropped = new AtomicInteger();

	private final List<BufferedSubscription> ended = new CopyOnWriteArrayList<>();

	private final BufferedSubscription.Callbacks callbacks = new BufferedSubscription.Callbacks() {

		@Override
		public void delivered() {
			BufferedSubscriptionTests.this.delivered.incrementAndGet();
		}

		@Override
		public void dropped() {
			BufferedSubscriptionTests.this.dropped.incrementAndGet();
		}

		@Override
		public void ended(BufferedSubscription subscription) {
			BufferedSubscriptionTests.this.ended.add(subscription);
		}

	};

	@Test
	void aFullBufferDropsTheOldestAndCountsIt() throws InterruptedException {
		BufferedSubscription subscription = subscription(3, OverflowPolicy.DROP_OLDEST);
		for (int i = 1; i <= 5; i++) {
			subscription.offer(event(i));
		}
		assertThat(subscription.dropped()).isEqualTo(2);
		assertThat(this.dropped).hasValue(2);
		assertThat(ids(subscription, 3)).containsExactly("3", "4", "5");
		assertThat(subscription.end()).isNull();
	}

	@Test
	void aFullBufferWithTheCancelPolicyEndsTheSubscriptionWithItsReason() throws InterruptedException {
		BufferedSubscription subscription = subscription(2, OverflowPolicy.CANCEL);
		for (int i = 1; i <= 3; i++) {
			subscription.offer(event(i));
		}
		assertThat(subscription.end().reason()).isEqualTo(Reason.OVERFLOW);
		assertThat(subscription.end().message()).contains("buffer of 2 events");
		assertThat(this.ended).containsExactly(subscription);
		// what was buffered is still read, then the iterator ends
		assertThat(subscription).extracting(Event::eventfulId).containsExactly("1", "2");
	}

	@Test
	void theIteratorWaitsForEventsAndEndsAtShutdownAfterTheBufferedOnes() {
		BufferedSubscription subscription = subscription(10, OverflowPolicy.DROP_OLDEST);
		CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
			List<String> ids = new ArrayList<>();
			subscription.forEach((event) -> ids.add(event.eventfulId()));
			return ids;
		});
		subscription.offer(event(1));
		subscription.offer(event(2));
		subscription.end(new End(Reason.SHUTDOWN, "shutting down"), false);
		assertThat(read.join()).containsExactly("1", "2");
		assertThat(subscription.end().reason()).isEqualTo(Reason.SHUTDOWN);
		assertThat(this.delivered).hasValue(2);
	}

	@Test
	void closingDiscardsWhatIsBufferedAndIgnoresLaterEvents() {
		BufferedSubscription subscription = subscription(10, OverflowPolicy.DROP_OLDEST);
		subscription.offer(event(1));
		subscription.close();
		subscription.offer(event(2));
		Iterator<Event> events = subscription.iterator();
		assertThat(events.hasNext()).isFalse();
		assertThat(subscription.end().reason()).isEqualTo(Reason.CLOSED);
		assertThat(this.ended).containsExactly(subscription);
	}

	@Test
	void thePublisherDeliversNoMoreThanRequested() {
		BufferedSubscription subscription = subscription(10, OverflowPolicy.DROP_OLDEST);
		RecordingSubscriber recorder = new RecordingSubscriber(subscription);
		subscription.publisher().subscribe(recorder);
		for (int i = 1; i <= 5; i++) {
			subscription.offer(event(i));
		}
		recorder.request(2);
		await().untilAsserted(() -> assertThat(recorder.ids()).containsExactly("1", "2"));
		// the rest waits in the buffer until asked for
		assertThat(this.delivered).hasValue(2);
		recorder.request(10);
		await().untilAsserted(() -> assertThat(recorder.ids()).containsExactly("1", "2", "3", "4", "5"));
		assertThat(recorder.completedWith.get()).isNull();
	}

	@Test
	void thePublisherCompletesAtShutdownAfterTheBufferedEvents() {
		BufferedSubscription subscription = subscription(10, OverflowPolicy.DROP_OLDEST);
		RecordingSubscriber recorder = new RecordingSubscriber(subscription);
		subscription.publisher().subscribe(recorder);
		subscription.offer(event(1));
		subscription.end(new End(Reason.SHUTDOWN, "shutting down"), false);
		recorder.request(Long.MAX_VALUE);
		await().untilAsserted(() -> assertThat(recorder.completedWith.get()).isNotNull());
		assertThat(recorder.ids()).containsExactly("1");
		assertThat(recorder.completedWith.get()).isEqualTo(Reason.SHUTDOWN);
	}

	@Test
	void thePublisherFailsWithTheReasonOnOverflow() {
		BufferedSubscription subscription = subscription(1, OverflowPolicy.CANCEL);
		RecordingSubscriber recorder = new RecordingSubscriber(subscription);
		subscription.publisher().subscribe(recorder);
		subscription.offer(event(1));
		subscription.offer(event(2));
		recorder.request(5);
		await()
			.untilAsserted(() -> assertThat(recorder.error.get()).isInstanceOf(EventSubscriptionOverflowException.class)
				.hasMessageContaining("buffer of 1 events"));
		assertThat(recorder.ids()).containsExactly("1");
	}

	@Test
	void cancellingThePublishersSubscriptionClosesIt() {
		BufferedSubscription subscription = subscription(10, OverflowPolicy.DROP_OLDEST);
		RecordingSubscriber recorder = new RecordingSubscriber(subscription);
		subscription.publisher().subscribe(recorder);
		recorder.subscription.get().cancel();
		assertThat(subscription.end().reason()).isEqualTo(Reason.CLOSED);
	}

	@Test
	void aSubscriptionIsReadOneWayOnly() {
		BufferedSubscription subscription = subscription(10, OverflowPolicy.DROP_OLDEST);
		subscription.publisher();
		assertThatIllegalStateException().isThrownBy(subscription::iterator).withMessageContaining("one way only");
	}

	@Test
	void matchesAnyOfItsRoutingKeys() {
		BufferedSubscription subscription = new BufferedSubscription(List.of("model.Invoice.#", "alert.*"), 10,
				OverflowPolicy.DROP_OLDEST, Runnable::run, this.callbacks);
		assertThat(subscription.matches("alert.raised")).isTrue();
		assertThat(subscription.matches("model.Invoice.1.create")).isTrue();
		assertThat(subscription.matches("model.User.1.create")).isFalse();
	}

	private BufferedSubscription subscription(int capacity, OverflowPolicy policy) {
		return new BufferedSubscription(List.of("model.Invoice.#"), capacity, policy,
				(task) -> new Thread(task).start(), this.callbacks);
	}

	private static List<String> ids(BufferedSubscription subscription, int count) throws InterruptedException {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(subscription.poll(Duration.ofSeconds(5)).eventfulId());
		}
		return ids;
	}

	private static Event event(int id) {
		return Event.builder().action("create").eventful("Invoice", id).build();
	}

}
