package com.example.billing;

import java.util.ArrayList;
import java.util.List;

import io.eventlistener.EventObserver;
import io.eventlistener.ListenerEnabled;
import io.eventlistener.RoutingKeysConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

@Entity
public class Subscription implements EventObserver {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ListenerEnabled
    private boolean enabled = true;

    @Convert(converter = RoutingKeysConverter.class)
    private List<String> routingKeys = new ArrayList<>();   // e.g. "model.User.*.create", "billing.#"

    protected Subscription() {                              // for JPA
    }

    public Subscription(String... routingKeys) {
        this.routingKeys = new ArrayList<>(List.of(routingKeys));
    }

    public Long getId() { return id; }

    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    public void setRoutingKeys(List<String> routingKeys) { this.routingKeys = new ArrayList<>(routingKeys); }

    @Override public List<String> getRoutingKeys() { return routingKeys; }

    @Override public boolean isListenerEnabled() { return enabled; }
}
