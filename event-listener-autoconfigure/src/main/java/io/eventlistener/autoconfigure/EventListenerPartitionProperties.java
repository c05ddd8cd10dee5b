package io.eventlistener.autoconfigure;

import java.time.Duration;

import io.eventlistener.partition.PartitionSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Partitioned consumption ({@code event-listener.consumer.partitioning=dynamic}), under
 * {@code event-listener.partition}: the membership's timing, the cap on buckets moved per
 * round, and how its two tables ({@code event_listener_member},
 * {@code event_listener_assignment}) are created: {@code initialize-schema}
 * ({@code always | embedded | never}, default {@code always}, as for the outbox),
 * {@code schema} and {@code platform} of Spring Boot's schema initializers.
 */
@ConfigurationProperties("event-listener.partition")
public class EventListenerPartitionProperties extends DatabaseInitializationProperties {

	/**
	 * The schema script shipped with the starter: one for PostgreSQL, MariaDB (MySQL) and
	 * H2, which agree on every type it uses.
	 */
	public static final String DEFAULT_SCHEMA_LOCATION = "classpath:io/eventlistener/partition/schema.sql";

	/**
	 * How often an instance heartbeats and rebalances; a bucket that moves between two
	 * running instances is consumed by both for up to one interval, never by neither.
	 */
	private Duration heartbeatInterval = PartitionSettings.DEFAULT.heartbeatInterval();

	/**
	 * How long an instance may go without a heartbeat before the others take its buckets
	 * (kill -9, a frozen network, a lost database). At least three heartbeat intervals;
	 * the instances' clocks must agree to well within it.
	 */
	private Duration memberTimeout = PartitionSettings.DEFAULT.memberTimeout();

	/**
	 * At most this many buckets (of 1,024) move from one running instance to another per
	 * heartbeat interval; buckets of an instance that left are handed out at once.
	 */
	private int maxMoves = PartitionSettings.DEFAULT.maxMoves();

	public EventListenerPartitionProperties() {
		setInitializeSchema(DatabaseInitializationMode.ALWAYS);
	}

	@Override
	public String getDefaultSchemaLocation() {
		return DEFAULT_SCHEMA_LOCATION;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getMemberTimeout() {
		return this.memberTimeout;
	}

	public void setMemberTimeout(Duration memberTimeout) {
		this.memberTimeout = memberTimeout;
	}

	public int getMaxMoves() {
		return this.maxMoves;
	}

	public void setMaxMoves(int maxMoves) {
		this.maxMoves = maxMoves;
	}

	PartitionSettings settings() {
		return new PartitionSettings(this.heartbeatInterval, this.memberTimeout, this.maxMoves);
	}

}
