package io.eventlistener.benchmarks.inbox;

import javax.sql.DataSource;

import io.eventlistener.EventHandler;
import io.eventlistener.benchmarks.app.Subscriber;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inbox benchmark's application: a handler that writes one row per event with
 * {@link JdbcTemplate}, as users' handlers do; with the inbox on the row joins the
 * inbox's transaction, with it off it commits by itself.
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Subscriber.class)
public class InboxBenchApplication {

	/** The table the handler writes to. */
	public static final String DDL = "create table sink (id bigserial primary key, user_id bigint, body text)";

	@Bean
	EventHandler<Subscriber> oneRowPerEvent(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return (subscriber, event) -> jdbc.update("insert into sink (user_id, body) values (?, ?)", subscriber.getId(),
				event.action());
	}

}
