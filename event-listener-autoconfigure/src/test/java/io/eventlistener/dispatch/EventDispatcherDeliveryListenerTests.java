package io.eventlistener.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;
import io.eventlistener.EventObserver;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.inbox.InboxRepository;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.TestObserverTypes;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The dispatcher tells its {@link DeliveryListener}s about every delivery, and a failing
 * listener never changes what happens to the delivery.
 */
class EventDispatcherDeliveryListenerTests {

	private static final ObserverType<Hook> HOOK = TestObserverTypes.longId("Hook", Hook.class);

	/** How long the timed handler works: the reported duration must cover it. */
	private static final Duration HANDLER_TIME = Duration.ofMillis(20);

	private final EventCodec codec = new EventCodec();

	private final ObserverRegistry registry = mock(ObserverRegistry.class);

	private final Recording recording = new Recording();

	private final ObserverRegistration registration = new ObserverRegistration(HOOK.key(7L), HOOK, new Hook(),
			"app.hook.7", "events", Set.of("#"));

	@Test
	void handledDeliveryIsReportedWithObserverAndDuration() {
		EventDispatcher dispatcher = dispatcher((hook, event) -> busyFor(HANDLER_TIME));
		dispatcher.onMessage(message("app.hook.7", Event.builder().eventful("User", 1).action("create").build()));
		assertThat(this.recording.calls).singleElement().satisfies((call) -> {
			assertThat(call.kind()).isEqualTo("handled");
			assertThat(call.delivery().observer()).isEqualTo(this.registration);
			assertThat(call.delivery().observerType()).isEqualTo("Hook");
			assertThat(call.delivery().event().routingKey()).isEqualTo("model.User.1.create");
			assertThat(call.duration()).isGreaterThanOrEqualTo(HANDLER_TIME);
		});
	}

	@Test
	void failedDeliveryIsReportedAndStillRejected() {
		EventDispatcher dispatcher = dispatcher((hook, event) -> {
			throw new IllegalStateException("boom");
		});
		assertThatExceptionOfType(EventHandlingException.class)
			.isThrownBy(() -> dispatcher.onMessage(message("app.hook.7", Event.builder().action("x").build())));
		assertThat(this.recording.calls).singleElement()
			.satisfies((call) -> assertThat(call.kind()).isEqualTo("failed"));
	}

	@Test
	void aDeliveryTheInboxHasSeenIsReportedAsADuplicateAndNotHandled() throws Exception {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		EventInbox inbox = new EventInbox(
				new InboxRepository(new JdbcTemplate(dataSource),
						() -> new ResourceDatabasePopulator(
								new ClassPathResource("io/eventlistener/inbox/schema-h2.sql"))
							.execute(dataSource)),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), Clock.systemUTC());
		List<Event> handled = new CopyOnWriteArrayList<>();
		EventDispatcher dispatcher = dispatcher((hook, event) -> handled.add(event));
		dispatcher.setInbox(inbox);
		Message message = message("app.hook.7", Event.builder().action("x").build());
		message.getMessageProperties().setMessageId("m-1");

		dispatcher.onMessage(message);
		message.getMessageProperties().setRedelivered(true);
		dispatcher.onMessage(message);

		assertThat(handled).hasSize(1);
		assertThat(this.recording.calls).extracting(Call::kind).containsExactly("handled", "duplicate");
		assertThat(this.recording.calls.get(1).delivery().observerType()).isEqualTo("Hook");
	}

	@Test
	void malformedBodyIsReportedWithItsQueue() {
		EventDispatcher dispatcher = dispatcher((hook, event) -> {
		});
		MessageProperties properties = new MessageProperties();
		properties.setConsumerQueue("app.hook.7");
		assertThatExceptionOfType(AmqpRejectAndDontRequeueException.class)
			.isThrownBy(() -> dispatcher.onMessage(new Message("not json".getBytes(), properties)));
		assertThat(this.recording.calls).singleElement().satisfies((call) -> {
			assertThat(call.kind()).isEqualTo("malformed");
			assertThat(call.queue()).isEqualTo("app.hook.7");
		});
	}

	@Test
	void applicationQueueDeliveryIsTaggedWithTheQueueName() {
		EventQueueBinding audit = EventQueueBinding.of("app.audit", List.of("#"), (event) -> {
		});
		EventDispatcher dispatcher = new EventDispatcher(this.registry, new ObserverHandlers(Map.of()), List.of(audit),
				this.codec, new ExceptionHandlerChain(List.of(), RetryMode.NEVER), budget(),
				new DeliveryListeners(List.of(this.recording)));
		given(this.registry.findByQueue("app.audit")).willReturn(Optional.empty());
		dispatcher.onMessage(message("app.audit", Event.builder().action("login").build()));
		assertThat(this.recording.calls).singleElement().satisfies((call) -> {
			assertThat(call.delivery().observer()).isNull();
			assertThat(call.delivery().observerType()).isEqualTo("app.audit");
		});
	}

	@Test
	void recovererWrapperReportsGivenUpDeliveries() {
		List<String> gaveUp = new CopyOnWriteArrayList<>();
		DeliveryListeners listeners = new DeliveryListeners(List.of(new DeliveryListener() {
			@Override
			public void gaveUp(String queue, boolean deadLettered) {
				gaveUp.add(queue + ":" + deadLettered);
			}
		}));
		MessageProperties properties = new MessageProperties();
		properties.setConsumerQueue("app.hook.7");
		DeliveryListeners.notifying((message, cause) -> {
		}, true, () -> listeners).recover(new Message(new byte[0], properties), new IllegalStateException());
		assertThat(gaveUp).containsExactly("app.hook.7:true");
	}

	@Test
	void failingListenerDoesNotAffectTheDelivery() {
		DeliveryListener broken = new DeliveryListener() {
			@Override
			public void handled(EventDelivery delivery, Duration duration) {
				throw new IllegalStateException("listener bug");
			}
		};
		given(this.registry.findByQueue("app.hook.7")).willReturn(Optional.of(this.registration));
		EventDispatcher dispatcher = new EventDispatcher(this.registry,
				new ObserverHandlers(Map.of(HOOK, (EventHandler<Hook>) (hook, event) -> {
				})), List.of(), this.codec, new ExceptionHandlerChain(List.of(), RetryMode.NEVER), budget(),
				new DeliveryListeners(List.of(broken, this.recording)));
		dispatcher.onMessage(message("app.hook.7", Event.builder().action("x").build()));
		assertThat(this.recording.calls).singleElement()
			.satisfies((call) -> assertThat(call.kind()).isEqualTo("handled"));
	}

	private EventDispatcher dispatcher(EventHandler<Hook> handler) {
		given(this.registry.findByQueue("app.hook.7")).willReturn(Optional.of(this.registration));
		return new EventDispatcher(this.registry, new ObserverHandlers(Map.of(HOOK, handler)), List.of(), this.codec,
				new ExceptionHandlerChain(List.of(), RetryMode.NEVER), budget(),
				new DeliveryListeners(List.of(this.recording)));
	}

	/**
	 * Work, without sleeping, for a while: a handler that takes a known time.
	 */
	private static void busyFor(Duration time) {
		long end = System.nanoTime() + time.toNanos();
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	private static ErrorBudget budget() {
		return new ErrorBudget(100, Duration.ofHours(1), Clock.systemUTC(), () -> {
		});
	}

	private Message message(String queue, Event event) {
		MessageProperties properties = new MessageProperties();
		properties.setConsumerQueue(queue);
		return new Message(this.codec.write(event), properties);
	}

	static class Hook implements EventObserver {

		@Override
		public List<String> getRoutingKeys() {
			return List.of("#");
		}

	}

	static class Recording implements DeliveryListener {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		@Override
		public void handled(EventDelivery delivery, Duration duration) {
			this.calls.add(new Call("handled", delivery, duration, delivery.queue()));
		}

		@Override
		public void failed(EventDelivery delivery, Duration duration, Exception failure) {
			this.calls.add(new Call("failed", delivery, duration, delivery.queue()));
		}

		@Override
		public void duplicate(EventDelivery delivery) {
			this.calls.add(new Call("duplicate", delivery, null, delivery.queue()));
		}

		@Override
		public void malformed(String queue, String reason) {
			this.calls.add(new Call("malformed", null, null, queue));
		}

	}

	record Call(String kind, EventDelivery delivery, Duration duration, String queue) {
	}

}
