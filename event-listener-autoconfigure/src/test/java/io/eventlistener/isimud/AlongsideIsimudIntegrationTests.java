package io.eventlistener.isimud;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.eventlistener.actuate.BindingAuditEndpoint;
import io.eventlistener.actuate.EventListenerEndpoint;
import io.eventlistener.audit.StrayBinding;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Rails application with isimud 1.4.7 ({@link RailsIsimud}: plain JDBC, the plain AMQP
 * client, isimud's exact bytes and queue handling) and the starter on the same observer
 * table and broker, as "Alongside isimud" (docs/reference/isimud.md) runs them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AlongsideIsimudIntegrationTests {

	private static final List<String> FIRST_KEYS = List.of("kept.#", "removed.#");

	private static final List<String> CHANGED_KEYS = List.of("kept.#", "added.#");

	private final TestNamespace namespace = TestNamespace.create(RailsCompany.DDL);

	private RailsIsimud rails;

	@AfterEach
	void stop() {
		if (this.rails != null) {
			this.rails.close();
		}
		this.namespace.close();
	}

	/**
	 * The migration's own queues: isimud keeps its prefix and deletes and re-creates its
	 * queue on every update; the starter's queue, under its own prefix, is rebound in
	 * place. Numbered events flow through create, a key change, disable, enable and
	 * destroy: every event on a kept key arrives, none on a removed key or while
	 * disabled.
	 */
	@Test
	void eachListenerOnItsOwnPrefixLosesNothingThroughEveryChangeTheRailsAppMakes() {
		this.rails = new RailsIsimud(this.namespace, this.namespace.queuePrefix() + ".rails");
		IsimudTableApplication.Handled handled = start().getBean(IsimudTableApplication.Handled.class);

		RailsIsimud.Row row = this.rails.create("Acme", true, FIRST_KEYS);
		String queue = this.namespace.queuePrefix() + ".company." + row.id();
		awaitConsumed(queue, FIRST_KEYS);
		publish("kept", 1, 50);
		publish("removed", 1, 20);
		awaitHandled(handled, "kept", 1, 50);

		// keys change while kept events keep coming
		AtomicInteger published = new AtomicInteger();
		CompletableFuture<Void> stream = CompletableFuture
			.runAsync(() -> IntStream.rangeClosed(51, 250).forEach((seq) -> {
				this.rails.publishEvent("kept", seq);
				published.incrementAndGet();
			}));
		await().atMost(Duration.ofSeconds(30)).until(() -> published.get() >= 40);
		row = this.rails.update(row, true, CHANGED_KEYS);
		awaitConsumed(queue, CHANGED_KEYS);
		stream.join();
		publish("removed", 21, 40);
		publish("added", 1, 20);
		awaitHandled(handled, "added", 1, 20);

		row = this.rails.update(row, false, CHANGED_KEYS);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker().bindings(queue, this.namespace.eventsExchange()).isEmpty()
					&& this.namespace.broker().queue(queue).orElseThrow().consumers() == 0);
		publish("kept", 251, 260);

		row = this.rails.update(row, true, CHANGED_KEYS);
		awaitConsumed(queue, CHANGED_KEYS);
		publish("kept", 261, 300);
		awaitHandled(handled, "kept", 261, 300);

		this.rails.destroy(row);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.namespace.broker().queue(queue).isEmpty());
		publish("kept", 301, 310);

		// one consumer per queue, in order: had anything been routed after a change, it
		// would have been handled before the events that were
		assertThat(Set.copyOf(handled.sequenceNumbers("kept"))).isEqualTo(range(1, 250, 261, 300));
		assertThat(Set.copyOf(handled.sequenceNumbers("removed"))).isEqualTo(range(1, 20));
		assertThat(Set.copyOf(handled.sequenceNumbers("added"))).isEqualTo(range(1, 20));
	}

	/**
	 * The trap docs/reference/isimud.md warns of: both listeners on isimud's prefix share
	 * the queue, and isimud's {@code update_queue} deletes it and declares it again on
	 * every update. The starter must end up consuming the re-created queue with the row's
	 * keys, so events on kept keys published after the change are handled (what the
	 * deleted queue held is lost by isimud's own doing).
	 */
	@Test
	void aQueueSharedWithIsimudIsConsumedAgainAfterIsimudDeletesAndRecreatesIt() {
		this.rails = new RailsIsimud(this.namespace, this.namespace.queuePrefix());
		IsimudTableApplication.Handled handled = start().getBean(IsimudTableApplication.Handled.class);
		RailsIsimud.Row row = this.rails.create("Shared", true, FIRST_KEYS);
		String queue = this.rails.queue(row.id());
		awaitConsumed(queue, FIRST_KEYS);
		publish("kept", 1, 20);
		awaitHandled(handled, "kept", 1, 20);

		this.rails.update(row, true, CHANGED_KEYS);

		awaitConsumed(queue, CHANGED_KEYS);
		publish("kept", 21, 40);
		publish("removed", 1, 10);
		publish("added", 1, 10);
		awaitHandled(handled, "kept", 21, 40);
		awaitHandled(handled, "added", 1, 10);
		assertThat(handled.sequenceNumbers("removed")).isEmpty();
	}

	/**
	 * A binding no row asks for (made behind the starter's back, as isimud's
	 * {@code create_queue} does on a shared queue) delivers events the row does not want
	 * and a resync cannot see it; the audit finds it through the management API, logs it
	 * at resync, and removes it.
	 */
	@Test
	void bindingAuditFindsLogsAndRemovesBindingsNoRowAsksFor(CapturedOutput output) {
		this.rails = new RailsIsimud(this.namespace, this.namespace.queuePrefix());
		ConfigurableApplicationContext application = start();
		IsimudTableApplication.Handled handled = application.getBean(IsimudTableApplication.Handled.class);
		RailsIsimud.Row row = this.rails.create("Drifting", true, CHANGED_KEYS);
		String queue = this.rails.queue(row.id());
		awaitConsumed(queue, CHANGED_KEYS);
		BindingAuditEndpoint audit = application.getBean(BindingAuditEndpoint.class);
		assertThat(audit.strayBindings()).isEmpty();

		this.rails.bindAgain(row, "removed.#");
		publish("removed", 1, 1);
		awaitHandled(handled, "removed", 1, 1);

		StrayBinding stray = new StrayBinding(queue, this.namespace.eventsExchange(), "removed.#",
				"Company#" + row.id(), true);
		assertThat(audit.strayBindings()).containsExactly(stray);
		application.getBean(EventListenerEndpoint.class).resync();
		assertThat(output).contains("Binding audit: 1 bindings on observer queues that no observer row asks for")
			.contains(stray.toString());

		assertThat(audit.removeStrayBindings()).containsExactly(stray);
		assertThat(this.namespace.broker().bindings(queue, this.namespace.eventsExchange()))
			.containsExactlyInAnyOrderElementsOf(CHANGED_KEYS);
		publish("removed", 2, 2);
		publish("kept", 1, 1);
		awaitHandled(handled, "kept", 1, 1);
		assertThat(handled.sequenceNumbers("removed")).containsExactly(1);
		assertThat(audit.strayBindings()).isEmpty();
	}

	@Test
	void anUnreachableManagementApiSkipsTheAuditWithOneLineAndTheResyncStillSucceeds(CapturedOutput output) {
		ConfigurableApplicationContext application = this.namespace.start(IsimudTableApplication.class,
				"event-listener.management.url=http://127.0.0.1:1",
				"management.endpoints.web.exposure.include=eventlistener");
		transactions(application).executeWithoutResult((status) -> application.getBean(RailsCompanyRepository.class)
			.save(new RailsCompany("Acme", List.of("kept.#"))));

		assertThat(application.getBean(EventListenerEndpoint.class).resync()).isNotNull();
		assertThat(output).contains("Binding audit skipped: management API http://127.0.0.1:1/api/bindings/%2F failed");
	}

	private ConfigurableApplicationContext start() {
		return this.namespace.start(IsimudTableApplication.class,
				"event-listener.management.url=http://" + LocalServices.RABBIT_HOST + ":"
						+ LocalServices.RABBIT_MANAGEMENT_PORT,
				"management.endpoints.web.exposure.include=eventlistener,eventlistenerbindings",
				"management.endpoint.eventlistenerbindings.access=unrestricted");
	}

	private void publish(String type, int from, int to) {
		IntStream.rangeClosed(from, to).forEach((seq) -> this.rails.publishEvent(type, seq));
	}

	private void awaitConsumed(String queue, List<String> keys) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.namespace.broker()
				.bindings(queue, this.namespace.eventsExchange())
				.equals(Set.copyOf(keys))
					&& this.namespace.broker().queue(queue).map((state) -> state.consumers() == 1).orElse(false));
	}

	private static void awaitHandled(IsimudTableApplication.Handled handled, String type, int from, int to) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Set.copyOf(handled.sequenceNumbers(type)).containsAll(range(from, to)));
	}

	private static Set<Integer> range(int... bounds) {
		Set<Integer> numbers = new HashSet<>();
		for (int i = 0; i < bounds.length; i += 2) {
			IntStream.rangeClosed(bounds[i], bounds[i + 1]).forEach(numbers::add);
		}
		return numbers;
	}

	private static TransactionTemplate transactions(ConfigurableApplicationContext application) {
		return new TransactionTemplate(application.getBean(PlatformTransactionManager.class));
	}

}
