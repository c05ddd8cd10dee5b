package io.eventlistener.partition;

import java.util.ArrayList;
import java.util.List;

import io.eventlistener.EventObserver;
import io.eventlistener.ListenerEnabled;
import io.eventlistener.RoutingKeysConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * A pooled observer of {@link PartitionTestApplication}.
 */
@Entity
@Table(name = "shop")
public class Shop implements EventObserver {

	public static final String DDL = "create table shop (id bigint primary key, active boolean not null, "
			+ "routing_keys text)";

	@Id
	private @Nullable Long id;

	@ListenerEnabled
	private boolean active = true;

	@Convert(converter = RoutingKeysConverter.class)
	@Column(name = "routing_keys")
	private List<String> routingKeys = new ArrayList<>();

	public @Nullable Long getId() {
		return this.id;
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
