package io.eventlistener.it;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.eventlistener.inbox.InboxTestApplication;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.testsupport.LocalDatabase;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.NumberedStream;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbox against kill -9: an application consuming 5,000 events with
 * {@code messages-per-ack=20}, whose handler writes one row per event, is killed
 * (SIGKILL, a process of its own) in the middle and started again. The deliveries it had
 * handled and committed but not yet acknowledged come again: with the inbox on they are
 * acknowledged without reaching the handler (rows = events, counted
 * {@code outcome=duplicate}); with it off each one writes its row twice.
 * <p>
 * What the kill leaves is measured, not assumed: after it, the queue's ready messages
 * (read at once by a passive declare) are the events never acknowledged, so the rows
 * committed minus the events acknowledged are the deliveries handled but unacknowledged,
 * every one of which the broker redelivers.
 */
class InboxKillIntegrationTests {

	private static final int EVENTS = 5000;

	/** The rows the killed application has written when it is killed. */
	private static final int KILL_AT = 1500;

	private static final Duration RECOVERY = Duration.ofSeconds(120);

	private static final Map<LocalDatabase, String> COMPANY_DDL = Map.of(LocalDatabase.POSTGRESQL, Company.DDL,
			LocalDatabase.MARIADB, "create table company (id bigint auto_increment primary key, name text not null, "
					+ "active boolean not null default true, routing_keys text, observed_exchange text)");

	private final TestNamespace namespace = TestNamespace.create();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		this.namespace.close();
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@ParameterizedTest(name = "{0}, inbox {1}")
	@CsvSource({ "POSTGRESQL, true", "POSTGRESQL, false", "MARIADB, true", "MARIADB, false" })
	void killedInTheMiddleOfTheStream(LocalDatabase database, boolean inbox) throws Exception {
		LocalDatabase.Scratch scratch = database.scratch();
		this.closeables.add(scratch);
		JdbcTemplate jdbc = new JdbcTemplate(scratch.dataSource());
		jdbc.execute(COMPANY_DDL.get(database));
		jdbc.execute(InboxTestApplication.EFFECT_DDL);
		jdbc.update("insert into company (name, active, routing_keys) values ('c', true, 'fault.#')");
		long observer = jdbc.queryForObject("select id from company", Long.class);
		String queue = this.namespace.queuePrefix() + ".company." + observer;
		Map<String, Object> settings = settings(database, scratch, inbox);
		NumberedStream stream = new NumberedStream(this.namespace.eventsExchange());
		this.closeables.add(stream);

		Process process = startProcess(settings, database, inbox);
		int rowsAtKill;
		try {
			await().atMost(RECOVERY)
				.until(() -> this.namespace.broker().queue(queue).isPresent() && RawAmqp.consumers(queue) == 1);
			CompletableFuture<Void> publishing = stream.publishAsync(1, EVENTS, (seq) -> false);
			await().atMost(RECOVERY).pollInterval(Duration.ofMillis(20)).until(() -> rows(jdbc) >= KILL_AT);
			process.destroyForcibly();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			rowsAtKill = rows(jdbc);
			publishing.get(RECOVERY.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			process.destroyForcibly();
		}
		await().atMost(RECOVERY).until(() -> RawAmqp.consumers(queue) == 0);
		int committed = rows(jdbc);
		long acknowledged = EVENTS - RawAmqp.ready(queue);
		long handledUnacknowledged = committed - acknowledged;
		assertThat(rowsAtKill).as("killed in the middle").isLessThan(EVENTS);
		assertThat(handledUnacknowledged).as("handled but unacknowledged at the kill").isBetween(0L, 250L);

		String[] restart = settings.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		ConfigurableApplicationContext application = this.namespace.start(InboxTestApplication.class, restart);
		await().atMost(RECOVERY).until(() -> distinctRows(jdbc) == EVENTS && RawAmqp.ready(queue) == 0);
		MeterRegistry meters = application.getBean(MeterRegistry.class);
		application.close();
		// closing waits for the handlers and acknowledges what they handled: nothing
		// went back to the queue
		assertThat(RawAmqp.ready(queue)).as("left in the queue").isZero();

		int rows = rows(jdbc);
		int duplicates = rows - distinctRows(jdbc);
		long absorbed = Math.round(meters.find(EventListenerMeters.EVENTS)
			.tag(EventListenerMeters.OUTCOME, EventListenerMeters.DUPLICATE)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum());
		System.out.printf(
				"inbox kill -9 | %-10s | inbox %-3s | published %d | killed at %d rows | handled but unacknowledged "
						+ "at the kill %d | side-effect rows %d | duplicates reaching the handler %d | "
						+ "redeliveries absorbed by the inbox %d%n",
				database, inbox ? "on" : "off", stream.published(), rowsAtKill, handledUnacknowledged, rows, duplicates,
				absorbed);
		assertThat(distinctRows(jdbc)).as("events handled").isEqualTo(EVENTS);
		if (inbox) {
			assertThat(rows).as("side-effect rows").isEqualTo(EVENTS);
			assertThat(duplicates).as("duplicates reaching the handler").isZero();
			assertThat(absorbed).as("redeliveries absorbed by the inbox").isEqualTo(handledUnacknowledged);
		}
		else {
			assertThat(duplicates).as("duplicates reaching the handler").isEqualTo((int) handledUnacknowledged);
			assertThat(absorbed).isZero();
		}
	}

	private Map<String, Object> settings(LocalDatabase database, LocalDatabase.Scratch scratch, boolean inbox) {
		Map<String, Object> settings = new HashMap<>(this.namespace.properties());
		settings.put("spring.datasource.url", scratch.url());
		settings.put("spring.datasource.username",
				(database == LocalDatabase.MARIADB) ? LocalServices.MARIADB_USER : LocalServices.POSTGRES_USER);
		settings.put("event-listener.consumer.messages-per-ack", 20);
		settings.put("event-listener.inbox.enabled", inbox);
		return settings;
	}

	/** The application as a process of its own, so that it can be killed. */
	private static Process startProcess(Map<String, Object> settings, LocalDatabase database, boolean inbox)
			throws Exception {
		List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
				"-cp", System.getProperty("java.class.path"), InboxTestApplication.class.getName()));
		settings.forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--" + TestNamespace.NO_WEB_SERVER);
		File log = new File("target/inbox-kill-9-" + database.name().toLowerCase() + "-" + inbox + ".log");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private static int rows(JdbcTemplate jdbc) {
		return jdbc.queryForObject("select count(*) from handled_event", Integer.class);
	}

	private static int distinctRows(JdbcTemplate jdbc) {
		return jdbc.queryForObject("select count(distinct seq) from handled_event", Integer.class);
	}

}
