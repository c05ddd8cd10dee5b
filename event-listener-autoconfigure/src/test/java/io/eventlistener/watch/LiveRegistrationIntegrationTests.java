package io.eventlistener.watch;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.eventlistener.Event;
import io.eventlistener.it.Company;
import io.eventlistener.testsupport.BrokerManagement;
import io.eventlistener.testsupport.BrokerManagement.QueueState;
import io.eventlistener.testsupport.RabbitBroker;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.watch.ObserverSynchronizer.Synchronization;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observers created, changed, disabled and deleted through JPA while the listener runs:
 * the model watcher registers, rebinds and unregisters them live, and a resynchronisation
 * repairs what no message announced. Run on RabbitMQ 3.10 and 4.0.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RabbitBroker.class)
class LiveRegistrationIntegrationTests {

	@Parameter
	RabbitBroker rabbit;

	private static TestNamespace namespace;

	private static WatcherApplication application;

	private static BrokerManagement broker;

	@BeforeParameterizedClassInvocation
	static void start(RabbitBroker rabbit) {
		namespace = TestNamespace.create(rabbit, Company.DDL, Person.DDL);
		application = WatcherApplication.start(namespace);
		broker = namespace.broker();
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void observerCreatedInATransactionConsumesWithinFiveSeconds() {
		long id = application.create("Fresh", true, "fresh.#");

		await().atMost(Duration.ofSeconds(5)).until(() -> application.isRegistered(id));
		application.publish(Event.builder().type("fresh").eventful("User", 1).action("create").build());
		WatcherApplication.patiently()
			.until(() -> application.handler().routingKeysFor(id).equals(List.of("fresh.User.1.create")));
		assertThat(broker.bindings(application.queue(id), namespace.eventsExchange())).containsExactly("fresh.#");
		WatcherApplication.patiently().until(() -> broker.queue(application.queue(id)).orElseThrow().consumers() == 1);
	}

	@Test
	void routingKeyChangeLosesNoEventOfAKeptKey() throws Exception {
		long id = application.create("Rebind", true, "kept.#", "removed.#");
		WatcherApplication.patiently().until(() -> application.isRegistered(id));
		AtomicBoolean publishing = new AtomicBoolean(true);
		CompletableFuture<Integer> kept = CompletableFuture.supplyAsync(() -> {
			int sent = 0;
			while (publishing.get()) {
				application.publish(Event.builder().type("kept").eventful("Thing", ++sent).action("tick").build());
			}
			return sent;
		});

		application.update(id, (company) -> company.setRoutingKeys(List.of("kept.#", "added.#")));
		WatcherApplication.patiently()
			.until(() -> broker.bindings(application.queue(id), namespace.eventsExchange()),
					Set.of("kept.#", "added.#")::equals);
		publishing.set(false);
		int sent = kept.get();
		application.publish(Event.builder().type("removed").action("late").build());
		application.publish(Event.builder().type("added").action("new").build());

		WatcherApplication.patiently().until(() -> application.handler().routingKeysFor(id).contains("added.new"));
		List<String> handled = application.handler().routingKeysFor(id);
		assertThat(handled).filteredOn((key) -> key.startsWith("kept."))
			.containsExactlyElementsOf(
					IntStream.rangeClosed(1, sent).mapToObj((n) -> "kept.Thing." + n + ".tick").toList());
		assertThat(handled).doesNotContain("removed.late");
		assertThat(application.registration(id).routingKeys()).containsExactlyInAnyOrder("kept.#", "added.#");
	}

	@Test
	void disabledObserverStopsConsumingAndKeepsItsWaitingMessagesUntilEnabled() {
		long id = application.create("Pausing", true, "pause.#");
		WatcherApplication.patiently().until(() -> application.isRegistered(id));
		String queue = application.queue(id);

		application.update(id, (company) -> company.setActive(false));
		WatcherApplication.patiently().until(() -> !application.isRegistered(id));
		assertThat(broker.bindings(queue, namespace.eventsExchange())).isEmpty();
		application.publish(Event.builder().type("pause").action("while-disabled").build());
		// messages that were waiting in the queue: put there directly, as nothing routes
		// to it
		for (int n = 1; n <= 3; n++) {
			RawAmqp.publish(this.rabbit, "", queue,
					new EventCodec().write(Event.builder().type("waiting").action("m" + n).build()));
		}
		WatcherApplication.patiently()
			.until(() -> broker.queue(queue).orElseThrow(), (state) -> state.equals(new QueueState(0, 3, 3)));
		assertThat(application.handler().routingKeysFor(id)).isEmpty();

		application.update(id, (company) -> company.setActive(true));
		WatcherApplication.patiently().until(() -> application.handler().routingKeysFor(id).size() == 3);
		// put there through the default exchange: delivered with the queue's name as
		// routing key
		assertThat(application.handler().routingKeysFor(id)).containsExactly(queue, queue, queue);
		assertThat(application.handler().deliveries()).filteredOn((delivery) -> delivery.companyId() == id)
			.extracting((delivery) -> delivery.event().action())
			.containsExactly("m1", "m2", "m3");
		assertThat(broker.bindings(queue, namespace.eventsExchange())).containsExactly("pause.#");
	}

	@Test
	void deletedObserverLosesItsConsumerAndItsQueue() {
		long id = application.create("Doomed", true, "doomed.#");
		WatcherApplication.patiently().until(() -> application.isRegistered(id));

		application.delete(id);
		WatcherApplication.patiently().until(() -> !application.isRegistered(id));
		WatcherApplication.patiently().until(() -> broker.queue(application.queue(id)).isEmpty());
	}

	@Test
	void deletedObserverKeepsItsQueueWhenConfigured() {
		try (TestNamespace keeping = TestNamespace.create(this.rabbit, Company.DDL, Person.DDL)) {
			WatcherApplication kept = WatcherApplication.start(keeping,
					"event-listener.watcher.delete-queues-on-destroy=false");
			long id = kept.create("Archived", true, "archived.#");
			WatcherApplication.patiently().until(() -> kept.isRegistered(id));

			kept.delete(id);
			WatcherApplication.patiently().until(() -> !kept.isRegistered(id));
			WatcherApplication.patiently()
				.until(() -> keeping.broker().queue(kept.queue(id)).orElseThrow().consumers() == 0);
			assertThat(keeping.broker().bindings(kept.queue(id), keeping.eventsExchange())).isEmpty();
		}
	}

	@Test
	void resynchronisationAppliesWhatNoMessageAnnounced() {
		long changed = application.create("SyncChanged", true, "sync.old");
		long disabled = application.create("SyncDisabled", true, "sync.disabled");
		long deleted = application.create("SyncDeleted", true, "sync.deleted");
		WatcherApplication.patiently()
			.until(() -> application.isRegistered(changed) && application.isRegistered(disabled)
					&& application.isRegistered(deleted));
		// behind the model watcher's back: plain SQL publishes nothing
		namespace.sql("update company set routing_keys = 'sync.new' where id = " + changed,
				"update company set active = false where id = " + disabled, "delete from company where id = " + deleted,
				"insert into company (name, active, routing_keys) values ('SyncNew', true, 'sync.added')");
		long added = namespace.queryForLong("select id from company where name = 'SyncNew'");

		Synchronization result = application.bean(ObserverSynchronizer.class).synchronize();

		assertThat(result.registered()).isEqualTo(1);
		assertThat(result.updated()).isEqualTo(1);
		assertThat(result.unregistered()).isEqualTo(2);
		assertThat(application.isRegistered(added)).isTrue();
		assertThat(broker.bindings(application.queue(changed), namespace.eventsExchange())).containsExactly("sync.new");
		assertThat(application.isRegistered(disabled)).isFalse();
		assertThat(broker.queue(application.queue(disabled))).isPresent();
		assertThat(application.isRegistered(deleted)).isFalse();
		assertThat(broker.queue(application.queue(deleted))).isEmpty();
	}

}
