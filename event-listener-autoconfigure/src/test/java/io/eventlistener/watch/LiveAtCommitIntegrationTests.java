package io.eventlistener.watch;

import java.util.ArrayList;
import java.util.List;

import io.eventlistener.Event;
import io.eventlistener.it.Company;
import io.eventlistener.it.CompanyRepository;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.wire.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An observer is live at commit, as isimud's is: the process that commits its row has
 * declared and bound its queue before the commit returns, so an event published the
 * moment it returns is routed (published with {@code mandatory} by a raw client, as a
 * Rails app would) and then handled. A broker unreachable at that moment never fails the
 * committed caller.
 */
@ExtendWith(OutputCaptureExtension.class)
class LiveAtCommitIntegrationTests {

	private static final int OBSERVERS = 100;

	private static TestNamespace namespace;

	private static WatcherApplication application;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create(Company.DDL, Person.DDL);
		application = WatcherApplication.start(namespace);
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void eventPublishedTheMomentTheCreatingTransactionReturnsIsRoutedAndHandled() {
		List<Long> ids = new ArrayList<>();
		int returned;
		try (RawAmqp.Publisher publisher = RawAmqp.publisher()) {
			for (int n = 1; n <= OBSERVERS; n++) {
				ids.add(application.create("Live" + n, true, "live" + n + ".#"));
				publisher.publish(namespace.eventsExchange(), "live" + n + ".Invoice.7.create",
						new EventCodec()
							.write(Event.builder().type("live" + n).eventful("Invoice", 7).action("create").build()),
						true);
			}
			returned = publisher.returned();
		}
		WatcherApplication.patiently().until(() -> handled(ids) == OBSERVERS);
		System.out.println("live-at-commit | created " + OBSERVERS + " | routed " + (OBSERVERS - returned)
				+ " | handled " + handled(ids));

		assertThat(returned).as("events returned unroutable").isZero();
		assertThat(handled(ids)).isEqualTo(OBSERVERS);
	}

	@Test
	void rolledBackCreateDeclaresNoQueue() {
		Company rolledBack = application.transactions().execute((status) -> {
			Company company = application.bean(CompanyRepository.class)
				.saveAndFlush(new Company("RolledBack", true, List.of("rolled.#")));
			status.setRollbackOnly();
			return company;
		});

		assertThat(namespace.broker().queue(application.queue(rolledBack.getId()))).isEmpty();
	}

	@Test
	void enablingADisabledObserverDeclaresItsQueueAtCommit() {
		long id = application.create("Dormant", false, "dormant.#");
		assertThat(namespace.broker().queue(application.queue(id))).isEmpty();

		application.update(id, (company) -> company.setActive(true));

		assertThat(namespace.broker().bindings(application.queue(id), namespace.eventsExchange()))
			.containsExactly("dormant.#");
	}

	@Test
	void addedRoutingKeyIsBoundAtCommit() {
		long id = application.create("Growing", true, "grow.old");

		application.update(id, (company) -> company.setRoutingKeys(List.of("grow.old", "grow.new")));

		assertThat(namespace.broker().bindings(application.queue(id), namespace.eventsExchange())).contains("grow.new");
	}

	@Test
	void brokerUnreachableAtCommitNeverFailsTheCallerAndTheObserverIsRegisteredLater(CapturedOutput output) {
		try (TcpProxy rabbit = new TcpProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);
				TestNamespace isolated = TestNamespace.create(Company.DDL, Person.DDL)) {
			WatcherApplication offline = WatcherApplication.start(isolated, "spring.rabbitmq.port=" + rabbit.port(),
					"event-listener.outbox.relay-interval=1s", "event-listener.outbox.retry-after=1s");
			rabbit.pause();

			long id = offline.create("Offline", true, "offline.#");

			assertThat(output.getAll())
				.contains("Could not declare observer queue " + offline.queue(id) + " at commit");
			rabbit.resume();
			WatcherApplication.patiently().until(() -> offline.isRegistered(id));
			assertThat(isolated.broker().bindings(offline.queue(id), isolated.eventsExchange()))
				.containsExactly("offline.#");
		}
	}

	private static long handled(List<Long> ids) {
		return ids.stream().filter((id) -> !application.handler().routingKeysFor(id).isEmpty()).count();
	}

}
