package io.eventlistener.it;

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
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * The observer entity of the integration tests, after isimud's own spec model.
 */
@Entity
@Table(name = "company")
public class Company implements EventObserver {

	public static final String DDL = "create table company (id bigserial primary key, name text not null, "
			+ "active boolean not null default true, routing_keys text, observed_exchange text)";

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String name = "";

	@ListenerEnabled
	private boolean active = true;

	@Convert(converter = RoutingKeysConverter.class)
	@Column(name = "routing_keys")
	private List<String> routingKeys = new ArrayList<>();

	@Column(name = "observed_exchange")
	private @Nullable String observedExchange;

	protected Company() {
	}

	public Company(String name, boolean active, List<String> routingKeys) {
		this.name = name;
		this.active = active;
		this.routingKeys = new ArrayList<>(routingKeys);
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

	public void setActive(boolean active) {
		this.active = active;
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
		return this.active;
	}

	@Override
	public @Nullable String getObservedExchange() {
		return this.observedExchange;
	}

	public void setObservedExchange(@Nullable String observedExchange) {
		this.observedExchange = observedExchange;
	}

}
