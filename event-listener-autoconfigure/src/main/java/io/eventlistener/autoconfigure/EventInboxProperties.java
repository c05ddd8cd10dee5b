package io.eventlistener.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

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
