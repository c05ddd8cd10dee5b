package io.eventlistener.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import io.eventlistener.actuate.PartitionHealthIndicator;
import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.partition.MembershipRepository;
import io.eventlistener.partition.PartitionCoordinator;
import io.eventlistener.partition.PartitionCoordinator.Membership;
import io.eventlistener.partition.PartitionedConsumers;
import io.eventlistener.registry.MultiplexedConsumers;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.testsupport.NoBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partitioned consumption's wiring, without services (H2, no broker): off unless asked
 * for, and when asked for, the consumers wrapped, the coordinator there, its tables made
 * at start and this instance a member.
 */
class EventListenerPartitionAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
				EventListenerAutoConfiguration.class, EventListenerPartitionAutoConfiguration.class))
		.withPropertyValues(NoBroker.propertyValues())
		.withPropertyValues("event-listener.queue-prefix=billing")
		.withUserConfiguration(EventListenerAutoConfigurationTests.CompanyObservers.class);

	@Test
	void offByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(PartitionCoordinator.class)
			.doesNotHaveBean(ObserverConsumers.class)
			.getBean(EventListenerAssembly.class)
			.extracting(EventListenerAssembly::consumers)
			.isInstanceOf(MultiplexedConsumers.class));
	}

	@Test
	void dynamicWrapsTheConsumersAndJoinsTheGroupAtStart() {
		this.runner
			.withPropertyValues("event-listener.consumer.partitioning=dynamic",
					"event-listener.partition.heartbeat-interval=2s", "event-listener.delivery.instance-id=one")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(PartitionCoordinator.class)
					.getBean(EventListenerAssembly.class)
					.extracting(EventListenerAssembly::consumers)
					.isInstanceOf(PartitionedConsumers.class);
				assertThat(context.getBean(EventListenerPartitionProperties.class).settings().heartbeatInterval())
					.isEqualTo(Duration.ofSeconds(2));
				context.start();
				assertThat(new MembershipRepository(new JdbcTemplate(context.getBean(DataSource.class)))
					.members("billing")).extracting(MembershipRepository.Member::id).containsExactly("one");
				assertThat(context.getBean(PartitionCoordinator.class).status().buckets()).isEqualTo(1024);
			});
	}

	@Test
	void dynamicAddsAPartitionHealthIndicatorThatSaysThisInstanceIsAMember() {
		this.runner.withConfiguration(AutoConfigurations.of(EventListenerHealthContributorAutoConfiguration.class))
			.withPropertyValues("event-listener.consumer.partitioning=dynamic",
					"event-listener.delivery.instance-id=one")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.start();
				Health health = context.getBean("eventListenerPartitionHealthIndicator", PartitionHealthIndicator.class)
					.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("membership", Membership.MEMBER)
					.containsEntry("buckets", 1024);
			});
	}

	@Test
	void noPartitionHealthIndicatorWithoutPartitioning() {
		this.runner.withConfiguration(AutoConfigurations.of(EventListenerHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PartitionHealthIndicator.class));
	}

	@Test
	void dynamicRefusesTheApplicationsOwnConsumers() {
		this.runner.withPropertyValues("event-listener.consumer.partitioning=dynamic")
			.withUserConfiguration(OwnConsumers.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("the starter's own consumers")
				.hasMessageContaining("event-listener.consumer.partitioning=none"));
	}

	@Test
	void aMemberTimeoutShorterThanThreeHeartbeatsIsRefused() {
		this.runner
			.withPropertyValues("event-listener.consumer.partitioning=dynamic",
					"event-listener.partition.member-timeout=10s")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("event-listener.partition.member-timeout"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConsumers {

		@Bean
		EventListenerAutoConfigurationTests.RecordingConsumers ownObserverConsumers() {
			return new EventListenerAutoConfigurationTests.RecordingConsumers();
		}

	}

}
