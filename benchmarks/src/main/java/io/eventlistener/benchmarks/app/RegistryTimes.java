package io.eventlistener.benchmarks.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistryListener;

/**
 * When each observer queue was registered (declared, bound and consumed: a single
 * registration returns once its consumer is confirmed) or rebound, by queue name.
 */
public class RegistryTimes implements ObserverRegistryListener {

	private final Map<String, Long> registered = new ConcurrentHashMap<>();

	private final Map<String, Long> rebound = new ConcurrentHashMap<>();

	@Override
	public void registered(ObserverRegistration registration) {
		this.registered.put(registration.queueName(), System.nanoTime());
	}

	@Override
	public void rebound(ObserverRegistration previous, ObserverRegistration current) {
		this.rebound.put(current.queueName(), System.nanoTime());
	}

	public Long registered(String queue) {
		return this.registered.get(queue);
	}

	public Long rebound(String queue) {
		return this.rebound.get(queue);
	}

}
