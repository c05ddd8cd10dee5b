package io.eventlistener.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.eventlistener.DeliveryMode;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.watch.ModelWatcherListener;
import io.eventlistener.watch.ObserverSynchronizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Compares the bindings the broker holds on this application's observer queues
 * ({@code {prefix}.{type}.{id}}) with what the observer rows ask for, and removes the
 * difference on demand. The registry stands for the rows: a resynchronisation brings it
 * in line with them, so audit right after one: {@link #auditAtEveryResync} has this
 * audit, a {@link ModelWatcherListener}, do so after each resynchronisation.
 * <p>
 * Why it is needed: the registry only knows the bindings it made. When a queue is shared
 * with another listener (isimud's binds a row's keys again after every change and never
 * unbinds), or an operator binds by hand, the queue receives events its row no longer
 * wants and nothing here can see it. Only bindings are removed, never queues or messages.
 */
public class BindingAudit implements ModelWatcherListener {

	private static final Log logger = LogFactory.getLog(BindingAudit.class);

	private final ObserverRegistry registry;

	private final ObserverTypes types;

	private final QueueNames queueNames;

	private final BrokerBindings broker;

	private final BrokerTopology topology;

	private @Nullable BindingAuditAtResync atResync;

	/**
	 * Create a new {@code BindingAudit}.
	 * @param registry the registered observers, standing for the active rows
	 * @param types the observer types, whose queue names are audited
	 * @param queueNames the queue prefix
	 * @param broker reads the broker's bindings
	 * @param topology removes bindings
	 */
	public BindingAudit(ObserverRegistry registry, ObserverTypes types, QueueNames queueNames, BrokerBindings broker,
			BrokerTopology topology) {
		this.registry = registry;
		this.types = types;
		this.queueNames = queueNames;
		this.broker = broker;
		this.topology = topology;
	}

	/**
	 * Audit after every resynchronisation, logging what no row asks for (a warning when
	 * the finding changed, at debug level while it stays the same), and remove it when
	 * told to.
	 * @param remove whether stray bindings are removed, or only logged
	 * @return this audit
	 */
	public BindingAudit auditAtEveryResync(boolean remove) {
		this.atResync = new BindingAuditAtResync(this, remove);
		return this;
	}

	@Override
	public void resynchronised(ObserverSynchronizer.Synchronization result) {
		BindingAuditAtResync atResync = this.atResync;
		if (atResync != null) {
			atResync.resynchronised(result);
		}
	}

	/**
	 * The bindings on observer queues that no registered observer asks for.
	 * @return them, by queue
	 * @throws IllegalStateException if the broker could not be asked
	 */
	public List<StrayBinding> strayBindings() {
		List<StrayBinding> stray = new ArrayList<>();
		for (BrokerBindings.QueueBinding binding : this.broker.queueBindings(this.queueNames.prefix())) {
			observerOf(binding.queue()).ifPresent((key) -> {
				Optional<ObserverRegistration> registration = this.registry.find(key);
				if (registration.isEmpty() || !asksFor(registration.get(), binding)) {
					stray.add(new StrayBinding(binding.queue(), binding.exchange(), binding.routingKey(),
							key.toString(), registration.isPresent()));
				}
			});
		}
		stray.sort(Comparator.comparing(StrayBinding::queue).thenComparing(StrayBinding::routingKey));
		return stray;
	}

	/**
	 * Remove the bindings on observer queues that no registered observer asks for.
	 * @return the bindings removed
	 * @throws IllegalStateException if the broker could not be asked
	 */
	public List<StrayBinding> removeStrayBindings() {
		List<StrayBinding> stray = strayBindings();
		for (StrayBinding binding : stray) {
			// checked again just before: the row may have been changed since the audit
			Optional<ObserverRegistration> registration = this.registry.find(observerOf(binding.queue()).orElseThrow());
			if (registration.isPresent() && registration.get().exchange().equals(binding.exchange())
					&& registration.get().routingKeys().contains(binding.routingKey())) {
				continue;
			}
			this.topology.unbind(binding.queue(), binding.exchange(), List.of(binding.routingKey()));
		}
		if (!stray.isEmpty()) {
			logger.info("Removed " + stray.size() + " bindings no observer row asks for: " + stray);
		}
		return stray;
	}

	private static boolean asksFor(ObserverRegistration registration, BrokerBindings.QueueBinding binding) {
		return registration.exchange().equals(binding.exchange())
				&& registration.routingKeys().contains(binding.routingKey());
	}

	/**
	 * The observer whose queue this is, by the name alone: {@code {prefix}.{type}.{id}}
	 * for one of the observer types, {@code {prefix}.{type}.{id}.{instance id}} for a
	 * broadcast type (another instance's copies are that instance's to audit); the
	 * watcher, dead-letter and application queues under the same prefix match none.
	 */
	private Optional<ObserverKey> observerOf(String queue) {
		for (ObserverType<?> type : this.types.all()) {
			String start = this.queueNames.prefix() + "." + type.snakeCaseName() + ".";
			if (queue.startsWith(start) && queue.length() > start.length()) {
				String id = queue.substring(start.length());
				if (type.delivery() != DeliveryMode.BROADCAST) {
					return Optional.of(new ObserverKey(type.name(), id));
				}
				String own = "." + this.queueNames.instanceId();
				return (id.endsWith(own) && id.length() > own.length())
						? Optional.of(new ObserverKey(type.name(), id.substring(0, id.length() - own.length())))
						: Optional.empty();
			}
		}
		return Optional.empty();
	}

}
