package io.eventlistener.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.eventlistener.CurrentDelivery;
import io.eventlistener.DeliveryMode;
import io.eventlistener.Event;
import io.eventlistener.EventHandler;
import io.eventlistener.EventQueueBinding;
import io.eventlistener.it.Company;

import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application the delivery-mode tests start, in this JVM or in a JVM of its own:
 * every event it handles, for a {@link Company} observer or for its broadcast application
 * queue, is written to the {@code handled} table with this instance's id and the broker's
 * redelivered flag, so what an instance did survives its death.
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Company.class)
public class DeliveryTestApplication {

	/** The table the handlers write to. */
	public static final String DDL = "create table handled (id bigserial primary key, instance text not null, "
			+ "queue text not null, seq int, redelivered boolean not null)";

	@Bean
	EventHandler<Company> companyEvents(JdbcTemplate jdbc, Environment environment) {
		String instance = environment.getRequiredProperty("event-listener.delivery.instance-id");
		// how long each event takes: the fail-over test kills an instance that is still
		// busy
		Duration handlingTime = environment.getProperty("delivery-test.handling-time", Duration.class, Duration.ZERO);
		// one event held longer: the graceful-stop test stops an instance handling it
		Integer heldSeq = environment.getProperty("delivery-test.held-seq", Integer.class);
		Duration heldFor = environment.getProperty("delivery-test.held-for", Duration.class, Duration.ZERO);
		return (company, event) -> {
			boolean held = heldSeq != null && heldSeq.equals(event.parameters().get("seq"));
			LockSupport.parkNanos((held ? heldFor : handlingTime).toNanos());
			record(jdbc, instance, "company." + company.getId(), event);
		};
	}

	@Bean
	EventQueueBinding cacheBinding(JdbcTemplate jdbc, Environment environment) {
		String instance = environment.getRequiredProperty("event-listener.delivery.instance-id");
		return EventQueueBinding
			.of(environment.getRequiredProperty("event-listener.queue-prefix") + ".cache", List.of("cache.#"),
					(event) -> record(jdbc, instance, "cache", event))
			.withDelivery(DeliveryMode.BROADCAST);
	}

	/**
	 * Names this instance's broker connection after it, so a test can have the broker
	 * close exactly it.
	 */
	@Bean
	ConnectionNameStrategy connectionNames(Environment environment) {
		return (connectionFactory) -> environment.getRequiredProperty("event-listener.delivery.instance-id") + "-app";
	}

	private static void record(JdbcTemplate jdbc, String instance, String queue, Event event) {
		jdbc.update("insert into handled (instance, queue, seq, redelivered) values (?, ?, ?, ?)", instance, queue,
				event.parameters().get("seq"), CurrentDelivery.isRedelivered());
	}

	public static void main(String[] args) {
		SpringApplication.run(DeliveryTestApplication.class, args);
	}

}
