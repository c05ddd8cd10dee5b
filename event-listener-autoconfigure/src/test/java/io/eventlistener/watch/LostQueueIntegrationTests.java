package io.eventlistener.watch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.it.Company;
import io.eventlistener.registry.MonitoredConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.BrokerManagement;
import io.eventlistener.testsupport.NumberedStream;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.watch.ObserverSynchronizer.Synchronization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue deleted behind the listener's back (through the management API, as an operator,
 * isimud's own update or another application would) comes back while its row is active,
 * and its observer is unregistered when the row is not; a resync repairs what is missing
 * and isolates what it cannot. Run on RabbitMQ 3.10 and 4.0.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RabbitBroker.class)
class LostQueueIntegrationTests {

	private static final int EVENTS = 1500;

	@Parameter
	RabbitBroker rabbit;

	private static TestNamespace namespace;

	private static WatcherApplication application;

	private static BrokerManagement broker;

	@BeforeParameterizedClassInvocation
	static void start(RabbitBroker rabbit) {
		namespace = TestNamespace.create(rabbit, Company.DDL, Person.DDL);
		application = WatcherApplication.start(namespace, "management.endpoints.web.exposure.include=eventlistener");
		broker = namespace.broker();
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void deletedQueueOfAnActiveObserverIsDeclaredAgainAndConsumedWithinTwoSeconds() throws Exception {
		long id = application.create("Deleted", true, NumberedStream.ROUTING_KEY);
		String queue = application.queue(id);
		WatcherApplication.patiently()
			.until(() -> broker.queue(queue).map(BrokerManagement.QueueState::consumers).orElse(0) == 1);
		MonitoredConsumers consumers = (MonitoredConsumers) application.bean(EventListenerAssembly.class).consumers();
		AtomicLong deletedAt = new AtomicLong();
		double redeclaredBefore = application.lostQueues("redeclared");
		double seconds;
		int resumedAt;
		try (NumberedStream stream = new NumberedStream(namespace.eventsExchange(), this.rabbit)) {
			CompletableFuture<Void> flow = stream.publishAsync(1, EVENTS, (seq) -> {
				if (seq == 300) {
					broker.deleteQueue(queue);
					deletedAt.set(System.nanoTime());
					return true;
				}
				return false;
			});
			// the loss is counted once it was handled: a condition that cannot be missed,
			// however fast the queue comes back
			WatcherApplication.patiently()
				.until(() -> deletedAt.get() > 0 && application.lostQueues("redeclared") > redeclaredBefore);
			WatcherApplication.patiently()
				.pollInterval(Duration.ofMillis(10))
				.until(() -> !consumers.unconsumed().containsKey(queue));
			seconds = (System.nanoTime() - deletedAt.get()) / 1e9;
			resumedAt = stream.published();
			flow.get();
		}
		List<Integer> expected = IntStream.rangeClosed(resumedAt + 1, EVENTS).boxed().toList();
		WatcherApplication.patiently().until(() -> application.handler().sequenceNumbers().containsAll(expected));
		System.out.printf(
				"lost-queue | queue deleted at event 300 | consuming again after %.3f s | "
						+ "published %d | handled %d | all %d published after the re-declare handled%n",
				seconds, EVENTS, application.handler().sequenceNumbers().size(), expected.size());

		assertThat(seconds).isLessThan(2.0);
		// the management API's consumer count lags behind a little
		WatcherApplication.patiently().until(() -> broker.queue(queue).orElseThrow().consumers() == 1);
		assertThat(broker.bindings(queue, namespace.eventsExchange())).containsExactly(NumberedStream.ROUTING_KEY);
		assertThat(application.lostQueues("redeclared")).isGreaterThanOrEqualTo(1);
	}

	@Test
	void deletedQueueOfAnObserverDisabledMeanwhileIsNotDeclaredAgain() {
		long id = application.create("DisabledMeanwhile", true, "disabled.meanwhile");
		String queue = application.queue(id);
		WatcherApplication.patiently()
			.until(() -> broker.queue(queue).map(BrokerManagement.QueueState::consumers).orElse(0) == 1);
		// behind the model watcher's back: plain SQL publishes nothing
		namespace.sql("update company set active = false where id = " + id);

		broker.deleteQueue(queue);

		WatcherApplication.patiently().until(() -> !application.isRegistered(id));
		// unregistered: nothing declares it again from here on
		WatcherApplication.patiently().until(() -> application.lostQueues("unregistered") >= 1);
		assertThat(broker.queue(queue)).as("the disabled observer's queue").isEmpty();
	}

	@Test
	void resyncWithAQueueDeletedAndAnotherRefusedRepairsTheOneAndIsolatesTheOther() {
		long deleted = application.create("ResyncDeleted", true, "resync.deleted");
		WatcherApplication.patiently().until(() -> application.isRegistered(deleted));
		// a row written by SQL whose queue another application declared with other
		// arguments: the broker refuses to declare it as ours
		namespace.sql("insert into company (name, active, routing_keys) values ('Refused', true, 'resync.refused')");
		long refused = namespace.queryForLong("select id from company where name = 'Refused'");
		application.bean(AmqpAdmin.class)
			.declareQueue(QueueBuilder.durable(application.queue(refused)).maxLength(10).build());
		namespace.sql("insert into company (name, active, routing_keys) values ('Fine', true, 'resync.fine')");
		long fine = namespace.queryForLong("select id from company where name = 'Fine'");
		namespace.sql("update company set routing_keys = 'resync.changed' where id = " + deleted);
		broker.deleteQueue(application.queue(deleted));

		Synchronization result = application.bean(EventListenerEndpoint.class).resync();

		// a queue that exists with other arguments is refused, not a failure of the
		// resync
		assertThat(result.failed()).isZero();
		assertThat(application.bean(ObserverRegistry.class).refused()).containsKey(WatcherApplication.key(refused));
		assertThat(application.isRegistered(fine)).isTrue();
		assertThat(application.isRegistered(refused)).isFalse();
		WatcherApplication.patiently()
			.until(() -> broker.bindings(application.queue(deleted), namespace.eventsExchange()),
					(keys) -> keys.equals(java.util.Set.of("resync.changed")));
		WatcherApplication.patiently()
			.until(() -> broker.queue(application.queue(deleted)).orElseThrow().consumers() == 1);
	}

}
