package io.eventlistener.handling;

import java.util.ArrayList;
import java.util.List;

import io.eventlistener.EventObserver;
import io.eventlistener.RoutingKeysConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * The observer entity of the handler-outcome, filter and handler-method tests.
 */
@Entity
@Table(name = "account")
public class Account implements EventObserver {

	public static final String DDL = "create table account (id bigint primary key, routing_keys text)";

	@Id
	private @Nullable Long id;

	@Convert(converter = RoutingKeysConverter.class)
	@Column(name = "routing_keys")
	private List<String> routingKeys = new ArrayList<>();

	protected Account() {
	}

	public @Nullable Long getId() {
		return this.id;
	}

	@Override
	public List<String> getRoutingKeys() {
		return this.routingKeys;
	}

}
