package io.eventlistener.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.partition.MembershipRepository;
import io.eventlistener.partition.PartitionCoordinator;
import io.eventlistener.partition.PartitionListener;
import io.eventlistener.partition.PartitionedConsumers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

/**
 * Partitioned consumption, only with
 * {@code event-listener.consumer.partitioning=dynamic}: the membership on the
 * application's {@link DataSource} and the coordinator that keeps the consumers on this
 * instance's buckets.
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnProperty(name = "event-listener.consumer.partitioning", havingValue = "dynamic")
@ConditionalOnBean(EventListenerAssembly.class)
@EnableConfigurationProperties(EventListenerPartitionProperties.class)
public final class EventListenerPartitionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PartitionCoordinator eventListenerPartitionCoordinator(ObjectProvider<DataSource> dataSource,
			EventListenerPartitionProperties properties, EventListenerAssembly listener, QueueNames queueNames,
			ObjectProvider<Clock> clock, ObjectProvider<PartitionListener> listeners,
			@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
			Environment environment) {
		DataSource database = dataSource.getIfUnique();
		if (!(listener.consumers() instanceof PartitionedConsumers partitioned) || database == null) {
			throw new IllegalStateException("event-listener.consumer.partitioning=dynamic needs one DataSource (for "
					+ "the membership) and the starter's own consumers (no ObserverConsumers bean of the application's);"
					+ " provide them, or set event-listener.consumer.partitioning=none");
		}
		PartitionCoordinator coordinator = new PartitionCoordinator(
				new MembershipRepository(new JdbcTemplate(database)), queueNames.prefix(), queueNames.instanceId(),
				properties.settings(), partitioned, clock.getIfAvailable(Clock::systemUTC),
				new StarterSchemaInitializer(database, properties)::initialize, scheduler);
		coordinator.setListeners(listeners.orderedStream().toList());
		coordinator.setHandoverExecutor(EventListenerThreads.perTask("partition-handover", environment));
		return coordinator;
	}

}
