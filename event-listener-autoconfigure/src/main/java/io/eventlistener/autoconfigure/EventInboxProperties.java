package io.eventlistener.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import io.eventlistener.inbox.EventInbox;
import io.eventlistener.inbox.InboxRepository;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent inbox, under {@code event-listener.inbox}: whether it is on, how long a
 * handled delivery is remembered, and how its table ({@code event_listener_inbox}) is
 * created, with the usual {@code initialize-schema} ({@code always | embedded | never}),
 * {@code schema} and {@code platform} of Spring Boot's own schema initializers (the
 * default mode is {@code always}, as for the outbox: the scripts only create the table
 * when it is missing).
 */
@ConfigurationProperties("event-listener.inbox")
public class EventInboxProperties extends DatabaseInitializationProperties {

	/** The schema scripts shipped with the starter, one per platform. */
	public static final String DEFAULT_SCHEMA_LOCATION = "classpath:io/eventlistener/inbox/schema-@@platform@@.sql";

	/**
	 * Whether each handled delivery is recorded in the handler's transaction, so a
	 * redelivery of it is acknowledged without calling the handler again (counted
	 * outcome=duplicate). Needs a DataSource and a transaction manager.
	 */
	private boolean enabled;

	/**
	 * How long a handled delivery is remembered; a redelivery after that is handled
	 * again. Outlast the longest the application may be down with deliveries
	 * unacknowledged.
	 */
	private Duration retention = Duration.ofDays(7);

	/**
	 * How often the records older than the retention are deleted.
	 */
	private Duration cleanupInterval = Duration.ofMinutes(5);

	public EventInboxProperties() {
		setInitializeSchema(DatabaseInitializationMode.ALWAYS);
	}

	@Override
	public String getDefaultSchemaLocation() {
		return DEFAULT_SCHEMA_LOCATION;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * The inbox on the application's database: its table, created with the starter's
	 * script for that database as these settings say, and the old records deleted every
	 * {@code cleanup-interval} once older than the {@code retention}.
	 * @param dataSource the application's database
	 * @param transactionManager each handled delivery is recorded in a transaction
	 * @param clock the time source
	 * @param scheduler runs the cleanup
	 * @return the inbox
	 */
	EventInbox inbox(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock,
			TaskScheduler scheduler) {
		InboxRepository table = new InboxRepository(new JdbcTemplate(dataSource),
				new StarterSchemaInitializer(dataSource, this)::initialize);
		return new EventInbox(table, new TransactionTemplate(transactionManager), clock).cleanedUp(this.retention,
				this.cleanupInterval, scheduler);
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public Duration getCleanupInterval() {
		return this.cleanupInterval;
	}

	public void setCleanupInterval(Duration cleanupInterval) {
		this.cleanupInterval = cleanupInterval;
	}

}
