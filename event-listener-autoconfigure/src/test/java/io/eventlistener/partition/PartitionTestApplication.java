package io.eventlistener.partition;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application the partitioning fault test starts, each instance in a JVM of its own:
 * a pooled ({@link Shop}) and an ordered ({@link Ledger}) observer type, whose handlers
 * write every event they handle to the {@code handled} table with this instance's id
 * before it is acknowledged, so what an instance did survives its death.
 */
@SpringBootApplication
public class PartitionTestApplication {

	/** The table the handlers write to; {@code id} is the commit order. */
	public static final String DDL = "create table handled (id bigserial primary key, instance text not null, "
			+ "observer text not null, seq int not null)";

	@Bean
	EventHandler<Shop> shopEvents(JdbcTemplate jdbc, Environment environment) {
		String instance = environment.getRequiredProperty("event-listener.delivery.instance-id");
		return (shop, event) -> record(jdbc, instance, "shop." + shop.getId(), event);
	}

	@Bean
	EventHandler<Ledger> ledgerEvents(JdbcTemplate jdbc, Environment environment) {
		String instance = environment.getRequiredProperty("event-listener.delivery.instance-id");
		return (ledger, event) -> record(jdbc, instance, "ledger." + ledger.getId(), event);
	}

	/**
	 * A broker routing the test's stream (thousands of persistent deliveries a second) on
	 * a two-core machine shared with four JVMs answered a joining instance's handshake
	 * past the client's 10 s.
	 */
	@Bean
	ConnectionFactoryCustomizer slowHandshake() {
		return (factory) -> factory.setHandshakeTimeout(60_000);
	}

	private static void record(JdbcTemplate jdbc, String instance, String observer, Event event) {
		jdbc.update("insert into handled (instance, observer, seq) values (?, ?, ?)", instance, observer,
				event.parameters().get("seq"));
	}

	public static void main(String[] args) {
		SpringApplication.run(PartitionTestApplication.class, args);
	}

}
