package io.eventlistener.watch;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.it.Company;
import io.eventlistener.it.CompanyRepository;
import io.eventlistener.it.RecordingHandler;
import io.eventlistener.metrics.EventListenerMeters;
import io.eventlistener.observer.ObserverKey;
import io.eventlistener.registry.ObserverRegistration;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.core.ConditionFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A running {@link WatcherTestApplication} and what the model-watcher tests do with it:
 * change observer rows through JPA, look into its registry, and name its queues.
 */
final class WatcherApplication {

	static final Duration PATIENCE = Duration.ofSeconds(30);

	private final TestNamespace namespace;

	private final ConfigurableApplicationContext context;

	private WatcherApplication(TestNamespace namespace, ConfigurableApplicationContext context) {
		this.namespace = namespace;
		this.context = context;
	}

	static WatcherApplication start(TestNamespace namespace, String... properties) {
		return new WatcherApplication(namespace, namespace.start(WatcherTestApplication.class, properties));
	}

	static ConditionFactory patiently() {
		return await().atMost(PATIENCE);
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	TransactionTemplate transactions() {
		return new TransactionTemplate(bean(PlatformTransactionManager.class));
	}

	/**
	 * Create an observer row through the repository, in a transaction of its own.
	 */
	long create(String name, boolean active, String... routingKeys) {
		Company company = transactions()
			.execute((status) -> bean(CompanyRepository.class).save(new Company(name, active, List.of(routingKeys))));
		return company.getId();
	}

	/**
	 * Change an observer row through JPA dirty checking, in a transaction of its own.
	 */
	void update(long id, Consumer<Company> change) {
		transactions()
			.executeWithoutResult((status) -> change.accept(bean(CompanyRepository.class).findById(id).orElseThrow()));
	}

	void delete(long id) {
		transactions().executeWithoutResult((status) -> bean(CompanyRepository.class).deleteById(id));
	}

	String queue(long id) {
		return this.namespace.queuePrefix() + ".company." + id;
	}

	boolean isRegistered(long id) {
		return bean(ObserverRegistry.class).find(key(id)).isPresent();
	}

	ObserverRegistration registration(long id) {
		return bean(ObserverRegistry.class).find(key(id)).orElseThrow();
	}

	void publish(Event event) {
		bean(EventPublisher.class).publish(event);
	}

	RecordingHandler handler() {
		return bean(RecordingHandler.class);
	}

	ModelWatcherCounts counts() {
		return bean(ModelWatcherCounts.class);
	}

	/**
	 * Lost queues of {@code Company} observers counted with the given outcome
	 * ({@code redeclared}, {@code unregistered}, {@code failed}).
	 */
	double lostQueues(String outcome) {
		return bean(MeterRegistry.class).find(EventListenerMeters.LOST_QUEUES)
			.tags(EventListenerMeters.TYPE, "Company", EventListenerMeters.OUTCOME, outcome)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	static ObserverKey key(long id) {
		return new ObserverKey("Company", Long.toString(id));
	}

}
