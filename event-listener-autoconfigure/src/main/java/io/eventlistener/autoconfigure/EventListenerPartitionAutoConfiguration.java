package io.eventlistener.autoconfigure;

import javax.sql.DataSource;

import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.partition.PartitionCoordinator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
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
	PartitionCoordinator eventListenerPartitionCoordinator(EventListenerAssembly listener,
			ObjectProvider<DataSource> dataSource, EventListenerPartitionProperties properties,
			@Qualifier(EventListenerTaskConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
			ListableBeanFactory beans, Environment environment) {
		return listener.partitionCoordinator(dataSource.getIfUnique(), properties.settings(),
				(database) -> new StarterSchemaInitializer(database, properties)::initialize, scheduler,
				EventListenerThreads.perTask("partition-handover", environment), beans);
	}

}
