package io.eventlistener.isimud;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.eventlistener.EventObserver;
import io.eventlistener.IsimudRoutingKeysConverter;
import io.eventlistener.ListenerEnabled;
import io.eventlistener.Watched;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * isimud's observer table as a Rails application owns it ({@code companies}, made by an
 * ActiveRecord 6.1 migration on PostgreSQL), mapped the way "Alongside isimud"
 * (docs/reference/isimud.md) section does: the Rails model name as the entity name, the
 * YAML routing keys, and {@code updated_at} kept as ActiveRecord keeps it (UTC,
 * microseconds).
 */
@Entity(name = "Company")
@Table(name = "companies")
public class RailsCompany implements EventObserver {

	/**
	 * {@code create_table :companies} with {@code t.string :name},
	 * {@code t.boolean :active}, isimud's column.
	 */
	public static final String DDL = "create table companies (id bigserial primary key, name character varying, "
			+ "active boolean not null default true, exchange_routing_keys text, "
			+ "created_at timestamp(6) without time zone not null, updated_at timestamp(6) without time zone not null)";

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Watched
	private @Nullable String name;

	@ListenerEnabled
	private boolean active = true;

	@Convert(converter = IsimudRoutingKeysConverter.class)
	@Column(name = "exchange_routing_keys")
	private List<String> routingKeys = new ArrayList<>();

	@Watched
	@Column(name = "created_at")
	private @Nullable LocalDateTime createdAt;

	@Watched
	@Column(name = "updated_at")
	private @Nullable LocalDateTime updatedAt;

	protected RailsCompany() {
	}

	public RailsCompany(String name, List<String> routingKeys) {
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

	public void disable() {
		this.active = false;
	}

	public void setRoutingKeys(List<String> routingKeys) {
		this.routingKeys = new ArrayList<>(routingKeys);
	}

	@Override
	public List<String> getRoutingKeys() {
		return this.routingKeys;
	}

	@Override
	public boolean isListenerEnabled() {
		return this.active;
	}

}
