package io.eventlistener.sample;

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
import org.jspecify.annotations.Nullable;

/**
 * A webhook subscription: an observer row that listens to the events its routing keys
 * match.
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

	protected Subscription() {
	}

	public Subscription(String name, List<String> routingKeys) {
		this.name = name;
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
