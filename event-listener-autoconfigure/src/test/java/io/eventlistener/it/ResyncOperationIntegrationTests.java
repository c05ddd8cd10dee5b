package io.eventlistener.it;

import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.TestNamespace;
import io.eventlistener.watch.ObserverSynchronizer.Synchronization;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's resync operation applies what no model-watcher message announced (a row
 * written by plain SQL), and resyncs are counted.
 */
class ResyncOperationIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void resyncOperationRegistersRowsWrittenBehindTheListenersBackAndIsCounted() {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('first', true, 'a.#')");
		ConfigurableApplicationContext application = this.namespace.start(ObserverTestApplication.class,
				"management.endpoints.web.exposure.include=eventlistener");
		ObserverRegistry registry = application.getBean(ObserverRegistry.class);
		assertThat(registry.registrations()).hasSize(1);
		this.namespace.sql("insert into company (name, active, routing_keys) values ('second', true, 'b.#')");

		Synchronization result = application.getBean(EventListenerEndpoint.class).resync();

		assertThat(result).isEqualTo(new Synchronization(1, 0, 0, 1, 0));
		assertThat(registry.registrations()).hasSize(2);
		assertThat(application.getBean(MeterRegistry.class)
			.get(EventListenerMeters.RESYNCS)
			.tag(EventListenerMeters.OUTCOME, EventListenerMeters.SUCCESS)
			.counter()
			.count()).isEqualTo(1);
	}

}
