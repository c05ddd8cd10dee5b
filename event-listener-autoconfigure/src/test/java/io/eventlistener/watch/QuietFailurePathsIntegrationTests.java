package io.eventlistener.watch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.eventlistener.Event;
import io.eventlistener.it.Company;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.BrokerManagement.QueueState;
import io.eventlistener.testsupport.RawAmqp;
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
 * Routine failure paths, driven the way the outside world drives them (plain SQL, a raw
 * client publishing model-watcher messages), log without noise: no ERROR, no stack trace,
 * and repeated warnings rate-limited.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuietFailurePathsIntegrationTests {

	private static final int BACKLOG = 300;

	private static final int JUNK = 5000;

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
	void observerDisabledWithABacklogLogsNoErrorAndLosesNothing(CapturedOutput output) {
		long id = application.create("Backlog", true, "backlog.#");
		String queue = application.queue(id);
		WatcherApplication.patiently()
			.until(() -> namespace.broker().queue(queue).map(QueueState::consumers).orElse(0) == 1);
		int mark = output.getAll().length();
		EventCodec codec = new EventCodec();
		try (RawAmqp.Publisher publisher = RawAmqp.publisher()) {
			publisher.publish(namespace.eventsExchange(), "backlog.first",
					codec.write(Event.builder().type("backlog").action("first").parameter("block", true).build()),
					false);
			for (int n = 1; n <= BACKLOG; n++) {
				publisher.publish(namespace.eventsExchange(), "backlog.n" + n,
						codec.write(Event.builder().type("backlog").action("n" + n).build()), false);
			}
		}
		WatcherApplication.patiently().until(() -> application.handler().isBlocked());

		// disabled by plain SQL, announced by a model-watcher message as isimud sends it
		namespace.sql("update company set active = false where id = " + id);
		RawAmqp.publish(namespace.modelsExchange(), "test.Company.update",
				("{\"schema\":\"test\",\"type\":\"Company\",\"action\":\"update\",\"id\":\"" + id
						+ "\",\"timestamp\":\"2026-12-01T12:34:56.789Z\",\"attributes\":{}}")
					.getBytes(StandardCharsets.UTF_8));
		WatcherApplication.patiently()
			.until(() -> application.bean(ObserverRegistry.class).findByQueue(queue).isEmpty());
		application.handler().release();

		WatcherApplication.patiently().until(() -> !application.isRegistered(id));
		int handled = application.handler().routingKeysFor(id).size();
		WatcherApplication.patiently()
			.until(() -> namespace.broker().queue(queue).orElseThrow(),
					(state) -> state.consumers() == 0 && state.messages() == BACKLOG + 1 - handled);
		String log = output.getAll().substring(mark);
		System.out.println("quiet-unregister | backlog " + (BACKLOG + 1) + " | handled " + handled + " | kept in queue "
				+ (BACKLOG + 1 - handled) + " | ERROR lines " + count(log, " ERROR ") + " | stack-trace lines "
				+ count(log, "\tat "));
		assertThat(handled).isGreaterThanOrEqualTo(1);
		assertThat(log).doesNotContain(" ERROR ").doesNotContain("\tat ").doesNotContain("Exception:");
	}

	@Test
	void floodOfJunkWatcherMessagesLogsABoundedNumberOfWarnings(CapturedOutput output) {
		int mark = output.getAll().length();
		long before = application.counts().rejectedCount(ModelChangeRejection.MALFORMED);
		try (RawAmqp.Publisher publisher = RawAmqp.publisher()) {
			for (int n = 0; n < JUNK; n++) {
				publisher.publish(namespace.modelsExchange(), "test.Company.update",
						("junk " + n).getBytes(StandardCharsets.UTF_8), false);
			}
		}
		WatcherApplication.patiently()
			.until(() -> application.counts().rejectedCount(ModelChangeRejection.MALFORMED) - before == JUNK);

		String log = output.getAll().substring(mark);
		long warnings = count(log, "Rejected model-watcher message");
		System.out
			.println("junk-watcher-messages | published " + JUNK + " | rejected " + JUNK + " | WARN lines " + warnings);
		assertThat(warnings).isBetween(1L, 10L);
	}

	@Test
	void spoofedDestroyOfAnEnabledRowIsLoggedAtInfoWithItsReason(CapturedOutput output) {
		long id = application.create("Spoofed", true, "spoofed.#");
		WatcherApplication.patiently().until(() -> application.isRegistered(id));

		RawAmqp.publish(namespace.modelsExchange(), "test.Company.destroy",
				("{\"schema\":\"test\",\"type\":\"Company\",\"action\":\"destroy\",\"id\":\"" + id + "\"}")
					.getBytes(StandardCharsets.UTF_8));

		WatcherApplication.patiently()
			.until(output::getAll, (all) -> all
				.contains("Model change 'destroy' of observer Company#" + id + " disagrees with the database"));
		assertThat(output.getAll()).containsPattern(" INFO .*Model change 'destroy' of observer Company#" + id
				+ " disagrees with the database \\(the row exists and is enabled\\)");
		assertThat(application.isRegistered(id)).isTrue();
	}

	private static long count(String log, String text) {
		return Arrays.stream(log.split("\n")).filter((line) -> line.contains(text)).count();
	}

}
