package io.eventlistener.watch;

import java.util.List;

import io.eventlistener.Event;
import io.eventlistener.testsupport.LocalDatabase;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC-facing paths on MariaDB instead of PostgreSQL: active observers loaded page by
 * page at start-up, the model watcher's schema (MariaDB's database name) and live
 * registration, and an event published in a transaction going through the outbox table
 * that the starter's MySQL script created.
 */
class MariaDbIntegrationTests {

	private static final String COMPANY_DDL = "create table company (id bigint auto_increment primary key, "
			+ "name text not null, active boolean not null default true, routing_keys text, observed_exchange text)";

	private static TestNamespace namespace;

	private static LocalDatabase.Scratch mariadb;

	private static JdbcTemplate jdbc;

	private static WatcherApplication application;

	@BeforeAll
	static void start() {
		namespace = TestNamespace.create();
		mariadb = LocalDatabase.MARIADB.scratch();
		jdbc = new JdbcTemplate(mariadb.dataSource());
		jdbc.execute(COMPANY_DDL);
		jdbc.update("insert into company (name, active, routing_keys) values "
				+ "('a', true, 'maria.a.#'), ('b', false, 'maria.b.#'), ('c', true, 'maria.c.#')");
		application = WatcherApplication.start(namespace, "spring.datasource.url=" + mariadb.url(),
				"spring.datasource.username=" + LocalServices.MARIADB_USER, "event-listener.loader.page-size=1");
	}

	@AfterAll
	static void stop() {
		if (namespace != null) {
			namespace.close();
		}
		if (mariadb != null) {
			mariadb.close();
		}
	}

	@Test
	void activeRowsAreLoadedPageByPageAtStartup() {
		assertThat(List.of(application.isRegistered(1), application.isRegistered(2), application.isRegistered(3)))
			.containsExactly(true, false, true);
	}

	@Test
	void modelWatcherSchemaIsTheDatabaseName() {
		assertThat(application.bean(ModelWatcherSchema.class).name()).isEqualTo(mariadb.name());
	}

	@Test
	void observerCreatedThroughJpaIsLiveAndGetsAnEventPublishedInATransaction() {
		long id = application.create("d", true, "maria.d.#");
		WatcherApplication.patiently().until(() -> application.isRegistered(id));

		application.transactions()
			.executeWithoutResult((status) -> application
				.publish(Event.builder().type("maria").eventful("d", 1).action("create").build()));

		WatcherApplication.patiently()
			.until(() -> application.handler().routingKeysFor(id).equals(List.of("maria.d.1.create")));
		WatcherApplication.patiently()
			.until(() -> jdbc.queryForObject("select count(*) from event_listener_outbox", Integer.class) == 0);
	}

}
