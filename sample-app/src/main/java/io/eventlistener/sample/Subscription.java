package io.eventlistener.sample;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.eventlistener.EventObserver;
import io.eventlistener.ListenerEnabled;
import io.eventlistener.RoutingKeysConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import org.jspecify.annotations.Nullable;

/**
 * A webhook subscription: an observer row that listens to the events its routing keys
 * match. Its own table by default; with the {@code isimud} profile, the table a Rails
 * application using isimud keeps for its {@code Subscription} model
 * ({@code isimud/orm.xml}): {@code subscriptions}, the routing keys in
 * {@code exchange_routing_keys} as ActiveRecord's YAML. The timestamps are kept as
 * ActiveRecord keeps them (UTC, microseconds), so that rows written here are complete for
 * Rails and the model-watcher message carries {@code updated_at}, as isimud's does.
 */
@Entity
public class Subscription implements EventObserver {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String name = "";

	@ListenerEnabled
	private boolean enabled = true;

	@Convert(converter = RoutingKeysConverter.class)
	@Column(length = 2000)
	private List<String> routingKeys = new ArrayList<>();

	private @Nullable LocalDateTime createdAt;

	private @Nullable LocalDateTime updatedAt;

	protected Subscription() {
	}

	public Subscription(String name, List<String> routingKeys) {
		this.name = name;
		this.routingKeys = new ArrayList<>(routingKeys);
	}

	@PrePersist
	void created() {
		this.createdAt = now();
		this.updatedAt = this.createdAt;
	}

	@PreUpdate
	void updated() {
		this.updatedAt = now();
	}

	private static LocalDateTime now() {
		return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	@Override
	public List<String> getRoutingKeys() {
		return this.routingKeys;
	}

	public void setRoutingKeys(List<String> routingKeys) {
		this.routingKeys = new ArrayList<>(routingKeys);
	}

	@Override
	public boolean isListenerEnabled() {
		return this.enabled;
	}

}
