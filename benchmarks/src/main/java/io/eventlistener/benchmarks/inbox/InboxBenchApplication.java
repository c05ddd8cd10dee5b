package io.eventlistener.benchmarks.inbox;

import javax.sql.DataSource;

import io.eventlistener.EventHandler;
import io.eventlistener.benchmarks.app.Subscriber;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox benchmark's application: a handler that writes one row per event with
 * {@link JdbcTemplate}, as users' handlers do; with the inbox on the row joins the
 * inbox's transaction. With it off the row commits by itself
 * ({@value #HANDLER}{@code =autocommit}), or in a transaction of the handler's own
 * ({@code transactional}, as a Spring Data repository's {@code save} or a
 * {@code @Transactional} handler does).
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Subscriber.class)
public class InboxBenchApplication {

	/** The table the handler writes to. */
	public static final String DDL = "create table sink (id bigserial primary key, user_id bigint, body text)";

	/**
	 * The setting that chooses the handler: {@code autocommit} or {@code transactional}.
	 */
	public static final String HANDLER = "bench.handler";

	@Bean
	EventHandler<Subscriber> oneRowPerEvent(DataSource dataSource, PlatformTransactionManager transactionManager,
			@Value("${" + HANDLER + ":autocommit}") String handler) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		TransactionTemplate transaction = new TransactionTemplate(transactionManager);
		boolean transactional = "transactional".equals(handler);
		return (subscriber, event) -> {
			Runnable write = () -> jdbc.update("insert into sink (user_id, body) values (?, ?)", subscriber.getId(),
					event.action());
			if (transactional) {
				transaction.executeWithoutResult((status) -> write.run());
			}
			else {
				write.run();
			}
		};
	}

}
