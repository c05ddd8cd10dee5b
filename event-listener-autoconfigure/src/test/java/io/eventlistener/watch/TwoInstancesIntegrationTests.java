package io.eventlistener.watch;

import io.eventlistener.Event;
import io.eventlistener.it.Company;
import io.eventlistener.it.RecordingHandler;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of one application: each has its own watcher queue, so both learn of an
 * observer created through one of them; they share the observer's queue as competing
 * consumers, so each event is handled once.
 */
class TwoInstancesIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL, Person.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void observerCreatedThroughOneInstanceIsRegisteredInBothAndEachEventHandledOnce() {
		WatcherApplication first = WatcherApplication.start(this.namespace);
		WatcherApplication second = WatcherApplication.start(this.namespace);
		assertThat(this.namespace.broker().queueNames(this.namespace.queuePrefix() + ".listener.")).hasSize(2);

		long id = first.create("Shared", true, "shared.#");
		WatcherApplication.patiently().until(() -> first.isRegistered(id) && second.isRegistered(id));
		WatcherApplication.patiently()
			.until(() -> this.namespace.broker().queue(first.queue(id)).orElseThrow().consumers() == 2);
		for (int n = 1; n <= 100; n++) {
			first.publish(Event.builder().type("shared").eventful("Thing", n).action("tick").build());
		}

		WatcherApplication.patiently().until(() -> handled(first, id) + handled(second, id) == 100);
		// and no event comes a second time: once both stopped, whatever they had not
		// acknowledged would be back in the queue, and nothing is
		RecordingHandler firstHandler = first.handler();
		RecordingHandler secondHandler = second.handler();
		String queue = first.queue(id);
		first.context().close();
		second.context().close();
		assertThat(RawAmqp.ready(queue)).as("deliveries left unacknowledged").isZero();
		assertThat(firstHandler.routingKeysFor(id).size() + secondHandler.routingKeysFor(id).size())
			.as("events handled, each once")
			.isEqualTo(100);
	}

	private static int handled(WatcherApplication application, long id) {
		return application.handler().routingKeysFor(id).size();
	}

}
