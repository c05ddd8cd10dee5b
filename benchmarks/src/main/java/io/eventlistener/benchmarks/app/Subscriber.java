package io.eventlistener.benchmarks.app;

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
 * The benchmark's observer entity: row {@code i} is bound to {@code model.User.i.create}.
 */
@Entity
@Table(name = "subscriber")
public class Subscriber implements EventObserver {

	/** The table, in the benchmark's schema. */
	public static final String DDL = "create table subscriber (id bigserial primary key, "
			+ "active boolean not null default true, routing_keys text)";

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@ListenerEnabled
	private boolean active = true;

	@Convert(converter = RoutingKeysConverter.class)
	@Column(name = "routing_keys")
	private List<String> routingKeys = new ArrayList<>();

	protected Subscriber() {
	}

	public Subscriber(List<String> routingKeys) {
		this.routingKeys = new ArrayList<>(routingKeys);
	}

	public @Nullable Long getId() {
		return this.id;
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

	/**
	 * The routing key observer row {@code id} is bound to.
	 * @param id the row id
	 * @return its routing key
	 */
	public static String routingKey(long id) {
		return "model.User." + id + ".create";
	}

}
