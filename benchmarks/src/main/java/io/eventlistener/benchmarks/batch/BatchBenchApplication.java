package io.eventlistener.benchmarks.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.eventlistener.Event;
import io.eventlistener.EventBatchHandler;
import io.eventlistener.EventHandler;
import io.eventlistener.ObservedEvent;
import io.eventlistener.benchmarks.app.Subscriber;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;

/**
 * The batch benchmark's application: every event is written to PostgreSQL's {@code sink}
 * table, one plain JDBC insert per event ({@code batch-bench.mode=single}, an
 * {@link EventHandler}) or one batched insert per batch ({@code batch-bench.mode=batch},
 * an {@link EventBatchHandler}).
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Subscriber.class)
public class BatchBenchApplication {

	/** The table the handlers write to. */
	public static final String DDL = "create table sink (id bigserial primary key, user_id bigint, body text)";

	private static final String INSERT = "insert into sink (user_id, body) values (?, ?)";

	@Bean
	@ConditionalOnProperty(name = "batch-bench.mode", havingValue = "single")
	EventHandler<Subscriber> singleInserts(DataSource dataSource) {
		return (subscriber, event) -> {
			try (Connection connection = dataSource.getConnection();
					PreparedStatement insert = connection.prepareStatement(INSERT)) {
				bind(insert, event);
				insert.executeUpdate();
			}
		};
	}

	@Bean
	@ConditionalOnProperty(name = "batch-bench.mode", havingValue = "batch")
	EventBatchHandler<Subscriber> batchedInserts(DataSource dataSource) {
		return (batch) -> {
			try (Connection connection = dataSource.getConnection();
					PreparedStatement insert = connection.prepareStatement(INSERT)) {
				connection.setAutoCommit(false);
				for (ObservedEvent<Subscriber> observed : batch) {
					bind(insert, observed.event());
					insert.addBatch();
				}
				insert.executeBatch();
				connection.commit();
			}
		};
	}

	private static void bind(PreparedStatement insert, Event event) throws SQLException {
		String id = event.eventfulId();
		insert.setLong(1, (id != null) ? Long.parseLong(id) : 0);
		insert.setString(2, String.valueOf(event.attributes()));
	}

}
