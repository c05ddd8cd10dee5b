package io.eventlistener.inbox;

import javax.sql.DataSource;

import io.eventlistener.EventHandler;
import io.eventlistener.it.Company;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application of the inbox's kill -9 test, started as a process of its own: one
 * observer entity and a handler whose only effect is one row per event, written with
 * plain JDBC as a user's handler would (inside the inbox's transaction when the inbox is
 * on, committed by itself when it is off). A package beside {@code it}, not below it, so
 * that neither application's component scanning finds the other's handler.
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Company.class)
public class InboxTestApplication {

	/** The handler's side-effect table. */
	public static final String EFFECT_DDL = "create table handled_event (observer_id bigint not null, seq int not null)";

	@Bean
	EventHandler<Company> companyEvents(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return (company, event) -> jdbc.update("insert into handled_event (observer_id, seq) values (?, ?)",
				company.getId(), event.parameters().get("seq"));
	}

	public static void main(String[] args) {
		SpringApplication.run(InboxTestApplication.class, args);
	}

}
